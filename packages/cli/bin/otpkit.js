#!/usr/bin/env node
// The `otpkit` command. This file is committed, not built, so that `npm install` in the
// repository links the command before `npm run build` (the root's prepare script) writes dist/.
import '../dist/bin.js';
