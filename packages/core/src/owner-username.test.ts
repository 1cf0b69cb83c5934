import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerUsername } from './owner-username.js';
import { testBackends, type TestDatabase } from './testing/backends.js';
import { UserDirectory } from './users.js';

for (const backend of testBackends()) {
  describe(`ownerUsername on ${backend.name}`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await backend.createDatabase();
      await database.knex.schema.createTable('people', (table) => {
        table.string('uuid', 36).primary();
        table.string('login', 64).notNullable();
      });
      await database.knex('people').insert({ uuid: 'u-1', login: 'alice' });
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it("reads the owner's username through the configured users table", async () => {
      const users = new UserDirectory(database.knex, { table: 'people', idColumn: 'uuid', usernameColumn: 'login', emailColumn: null });
      expect(await ownerUsername(users, 'u-1')).toBe('alice');
      await expect(ownerUsername(users, 'u-2')).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'account' });
    });

    it('turns a users table that cannot be read into a StorageError', async () => {
      const users = new UserDirectory(database.knex, { table: 'missing_users' });
      await expect(ownerUsername(users, '1')).rejects.toMatchObject({ code: 'ERR_OTP_STORAGE' });
    });
  });
}
