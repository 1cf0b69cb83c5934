import type { Logger } from '@otpkit/core';

/**
 * Messages sent in the background, after the caller was answered: each failure is reported to the
 * logger (by kind, never with the address, code or link), and {@link Deliveries.idle} waits for
 * those under way.
 */
export class Deliveries {
  readonly #logger: Logger;
  readonly #pending = new Set<Promise<void>>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Runs `send` in the background; `what` names it in a failure's report (`a sign-in code`). */
  run(what: string, send: () => Promise<unknown>): void {
    const task = send().then(
      () => undefined,
      (error: unknown) => this.#logger.warn(`signin: ${what} could not be sent (${(error as { code?: string })?.code ?? (error as Error)?.name ?? 'error'})`),
    );
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  /** Resolves once every delivery started so far, and those they started, have ended. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
