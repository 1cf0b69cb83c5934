import { DeviceNotFoundError, normalizeToken, ValidationError, type Device, type EventMeta, type Otp, type UserRecord } from '@otpkit/core';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { loadConfig, type LoadedConfig } from './load-config.js';

/** The options every command accepts. */
export interface GlobalOptions {
  readonly config?: string;
  readonly json?: boolean;
}

/** What every change the command line makes is reported with: `via: 'cli'`. */
const CLI_META: EventMeta = Object.freeze({ via: 'cli' });

/** What one command works with: the loaded otp instance, the user lookup, and the output. */
export class CommandSession {
  /** Passed to every otp call that changes state or verifies, so its events say `via: 'cli'`. */
  readonly meta: EventMeta = CLI_META;
  readonly #io: CliIo;
  readonly #options: GlobalOptions;
  #loaded: LoadedConfig | undefined;

  constructor(io: CliIo, options: GlobalOptions) {
    this.#io = io;
    this.#options = options;
  }

  /** Whether output is JSON. */
  get json(): boolean {
    return this.#options.json === true;
  }

  /**
   * Loads the configuration once; `create` lets `migrate` create a missing SQLite file, `warn`
   * passes the instance's start-up warnings (plaintext secrets) to stderr.
   */
  async open(create: boolean, warn: boolean): Promise<Otp> {
    this.#loaded ??= await loadConfig({
      configPath: this.#options.config,
      cwd: this.#io.cwd,
      env: this.#io.env,
      create,
      logger: { warn: (message) => (warn ? this.#io.stderr(`otpkit: warning: ${message}\n`) : undefined) },
    });
    return this.#loaded.otp;
  }

  /** The loaded otp instance. */
  get otp(): Otp {
    if (this.#loaded === undefined) throw new Error('the configuration is loaded before a command runs');
    return this.#loaded.otp;
  }

  /** Releases the database connections. */
  async close(): Promise<void> {
    await this.#loaded?.close();
  }

  /** The user with this username. @throws CliError when there is none. */
  async user(username: string): Promise<UserRecord> {
    const user = await this.otp.users.findByUsername(username);
    if (user === null) throw new CliError('ERR_CLI_UNKNOWN_USER', `No user ${JSON.stringify(username)}`);
    return user;
  }

  /** The device a persistent id names. @throws DeviceNotFoundError when there is none. */
  async device(persistentId: string): Promise<Device> {
    const device = await this.otp.deviceFromPersistentId(persistentId);
    if (device === null) throw new DeviceNotFoundError();
    return device;
  }

  /** A token in its normalized form. @throws ValidationError for input that can never be a token. */
  token(input: string): string {
    const token = normalizeToken(input);
    if (token === null) {
      throw new ValidationError('A token is 1 to 64 letters and digits (spaces and dashes allowed)', { field: 'token' });
    }
    return token;
  }

  /** Prints `data` as one line of JSON with `--json`, otherwise the human-readable `lines`. */
  print(data: unknown, lines: string | readonly string[]): void {
    if (this.json) this.#io.stdout(`${JSON.stringify(data)}\n`);
    else for (const line of typeof lines === 'string' ? [lines] : lines) this.#io.stdout(`${line}\n`);
  }
}
