import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createUsers, databaseUrl, runBin, workDir, type BinResult } from './run-bin.js';

/** What a CLI suite works with on one backend. */
export interface CliFixture {
  /** The migrated test database (users `alice` and `bob`). */
  readonly database: TestDatabase;
  /** Runs the binary with `DATABASE_URL` set to the test database, plus `env`. */
  otpkit(...args: string[]): Promise<BinResult>;
}

/**
 * Registers `define` per enabled backend, in an app directory with the `packages` of
 * {@link workDir}, with a users table and `otpkit migrate` already run.
 */
export function describeCli(title: string, env: Record<string, string>, define: (fixture: CliFixture) => void, packages: 'counter' | 'repository' = 'counter'): void {
  for (const backend of testBackends()) {
    describe(`${title} on ${backend.name}`, () => {
      let database: TestDatabase | undefined;
      let variables: Record<string, string> = {};
      const cwd = workDir(packages);
      const fixture: CliFixture = {
        get database() {
          if (database === undefined) throw new Error('the database is created in beforeAll');
          return database;
        },
        otpkit: (...args) => runBin(args, { cwd: cwd.path, env: variables }),
      };
      beforeAll(async () => {
        database = await backend.createDatabase({ poolSize: 2 });
        await createUsers(database.knex);
        variables = { DATABASE_URL: databaseUrl(database.config), ...env };
        expect(await fixture.otpkit('migrate', '--json')).toMatchObject({ code: 0, stderr: '' });
      });
      afterAll(async () => {
        await database?.destroy();
        cwd.remove();
      });
      define(fixture);
    });
  }
}
