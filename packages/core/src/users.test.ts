import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';

describeOnBackends('the users directory', (fixture) => {
  it('finds users by username and by integer or string id, and returns null for strangers', async () => {
    const { knex } = fixture.database;
    await knex.schema.createTable('users', (table) => {
      table.increments('id');
      table.string('username').notNullable();
      table.string('email');
    });
    const [inserted] = await knex('users').insert({ username: 'ada', email: 'ada@example.com' }, ['id']);
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
    const otp = fixture.otp();
    const ada = { id: String(id), username: 'ada', email: 'ada@example.com' };
    expect(await otp.users.findByUsername('ada')).toEqual(ada);
    expect(await otp.users.findById(id)).toEqual(ada);
    expect(await otp.users.findById(String(id))).toEqual(ada);
    expect(await otp.users.findByUsername('bob')).toBeNull();
    expect(await otp.users.findById('not-a-number')).toBeNull();
  });

  it('finds the users with an email address, in any case, by id; none without an email column', async () => {
    const { knex } = fixture.database;
    const [first] = await knex('users').insert({ username: 'ada2', email: 'Shared@Example.com' }, ['id']);
    const [second] = await knex('users').insert({ username: 'ada3', email: 'shared@example.com' }, ['id']);
    const idOf = (inserted: unknown) => String(typeof inserted === 'object' ? (inserted as { id: unknown }).id : inserted);
    const otp = fixture.otp();
    expect(await otp.users.findByEmail('SHARED@example.COM')).toEqual([
      { id: idOf(first), username: 'ada2', email: 'Shared@Example.com' },
      { id: idOf(second), username: 'ada3', email: 'shared@example.com' },
    ]);
    expect(await otp.users.findByEmail('nobody@example.com')).toEqual([]);
    expect(await fixture.otp({ users: { emailColumn: null } }).users.findByEmail('shared@example.com')).toEqual([]);
  });

  it('reports a missing users table as a storage error', async () => {
    const otp = fixture.otp({ users: { table: 'no_such_users' } });
    await expect(otp.users.findByUsername('ada')).rejects.toMatchObject({ code: 'ERR_OTP_STORAGE' });
  });
});
