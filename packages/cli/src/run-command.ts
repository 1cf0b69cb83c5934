import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { CommandSession, type GlobalOptions } from './command-session.js';

/** Runs a command's work with its configuration loaded, and closes the database afterwards. */
export type RunCommand = (command: Command, work: (session: CommandSession) => Promise<void>, options?: RunOptions) => Promise<void>;

/** How a command loads its configuration. */
export interface RunOptions {
  /** Whether a missing SQLite file may be created (`otpkit migrate`). @default false */
  readonly create?: boolean;
  /** Whether the command stores secrets, so warnings about plaintext storage matter. @default false */
  readonly storesSecrets?: boolean;
}

/** The {@link RunCommand} of one invocation. */
export function commandRunner(io: CliIo): RunCommand {
  return async (command, work, { create = false, storesSecrets = false } = {}) => {
    const session = new CommandSession(io, command.optsWithGlobals<GlobalOptions>());
    try {
      await session.open(create, storesSecrets);
      await work(session);
    } finally {
      await session.close();
    }
  };
}
