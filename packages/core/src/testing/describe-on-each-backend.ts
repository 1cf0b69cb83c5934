import { afterAll, beforeAll, describe } from 'vitest';
import { testBackends, type TestBackend, type TestDatabase } from './backends.js';

/** One backend's `describe` block and its database. */
export interface BackendBlock {
  readonly backend: TestBackend;
  /** The block's own empty database, created before its first test. @throws when read before then (outside a hook or test) */
  readonly database: TestDatabase;
}

/**
 * Registers `define` once per enabled backend ({@link testBackends}), in a `describe` block titled
 * `${title} on ${backend}`, with a database of its own created before the block's first test
 * (before the hooks `define` registers, so they can migrate it) and destroyed after its last.
 * Needs vitest.
 */
export function describeOnEachBackend(title: string, define: (block: BackendBlock) => void, options: { readonly poolSize?: number } = {}): void {
  for (const backend of testBackends()) {
    describe(`${title} on ${backend.name}`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await backend.createDatabase(options);
      });
      afterAll(async () => {
        await database?.destroy();
      });
      define({
        backend,
        get database() {
          if (database === undefined) throw new Error('the database is created in beforeAll');
          return database;
        },
      });
    });
  }
}
