/** Where the command line reads its environment from and writes to; tests pass their own. */
export interface CliIo {
  /** Writes to standard output (text ends with a newline). */
  stdout(text: string): void;
  /** Writes to standard error (text ends with a newline). */
  stderr(text: string): void;
  /** The environment (`DATABASE_URL`, `OTP_KEY_<id>`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory configuration files and SQLite paths are resolved against. */
  readonly cwd: string;
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}
