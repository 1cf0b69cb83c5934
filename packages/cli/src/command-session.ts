import { userInfo } from 'node:os';
import { DeviceNotFoundError, type Device, type EventMeta, type Otp, type UserRecord } from '@otpkit/core';
import { UnknownUserError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { loadConfig, type LoadedConfig } from './load-config.js';

/** The options every command accepts. */
export interface GlobalOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly schema?: string;
}

/**
 * The operating-system user running the command line, as the actor of its changes:
 * `cli:<username>`, or `cli` where the user has no name (a container's bare uid).
 */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** What every change the command line makes is reported with: `via: 'cli'` and the operating-system user as the actor. */
const cliMeta = (): EventMeta => Object.freeze({ via: 'cli', actor: cliActor() });

/** What one command works with: the loaded otp instance, the user lookup, and the output. */
export class CommandSession {
  /** Passed to every otp call that changes state or verifies, so its events say `via: 'cli'` and who ran it (`actor: 'cli:<os user>'`). */
  readonly meta: EventMeta = cliMeta();
  readonly #io: CliIo;
  readonly #options: GlobalOptions;
  #loaded: LoadedConfig | undefined;

  constructor(io: CliIo, options: GlobalOptions) {
    this.#io = io;
    this.#options = options;
  }

  /** The directory the command runs in: relative paths in its arguments are resolved from it. */
  get cwd(): string {
    return this.#io.cwd;
  }

  /** Whether output is JSON. */
  get json(): boolean {
    return this.#options.json === true;
  }

  /**
   * Loads the configuration once; `create` lets `migrate` create a missing SQLite file (and use
   * every installed plugin in `DATABASE_URL` mode), `warn` passes the instance's start-up warnings
   * (plaintext secrets) to stderr. Which plugins `DATABASE_URL` mode found goes to stderr too,
   * except with `--json`, whose stderr carries only a failure's JSON.
   */
  async open(create: boolean, warn: boolean): Promise<Otp> {
    this.#loaded ??= await loadConfig({
      configPath: this.#options.config,
      schema: this.#options.schema,
      cwd: this.#io.cwd,
      env: this.#io.env,
      create,
      logger: { warn: (message) => (warn ? this.#io.stderr(`otpkit: warning: ${message}\n`) : undefined) },
      note: (line) => (this.json ? undefined : this.#io.stderr(`otpkit: ${line}\n`)),
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

  /** The user with this username. @throws UnknownUserError when there is none. */
  async user(username: string): Promise<UserRecord> {
    const user = await this.otp.users.findByUsername(username);
    if (user === null) throw new UnknownUserError(`No user ${JSON.stringify(username)}`);
    return user;
  }

  /** The device a persistent id names. @throws DeviceNotFoundError when there is none. */
  async device(persistentId: string): Promise<Device> {
    const device = await this.otp.deviceFromPersistentId(persistentId);
    if (device === null) throw new DeviceNotFoundError();
    return device;
  }

  /** Prints `data` as one line of JSON with `--json`, otherwise the human-readable `lines`. */
  print(data: unknown, lines: string | readonly string[]): void {
    if (this.json) this.#io.stdout(`${JSON.stringify(data)}\n`);
    else for (const line of typeof lines === 'string' ? [lines] : lines) this.#io.stdout(`${line}\n`);
  }
}
