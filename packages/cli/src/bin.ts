#!/usr/bin/env node
import { consoleToStderr } from './console-to-stderr.js';
import { runCli } from './run-cli.js';

consoleToStderr();
process.exitCode = await runCli(process.argv.slice(2));
