import { expect, it } from 'vitest';
import { describeOnBackends } from '../test-support/backend-fixture.js';
import type { SequenceDevice } from '../test-support/sequence-device.js';
import { DeviceTable } from './device-table.js';
import { driverFor } from './driver-for.js';
import type { SqlSession, Statement } from './sql-session.js';

describeOnBackends('the hot path UPDATE', (fixture) => {
  it('names only the columns that changed, and is not sent for a device that did not change', async () => {
    const otp = fixture.otp();
    const created = await otp.createDevice('sequence', 'writer', { confirmed: true, name: 'Token' });
    const driver = driverFor(fixture.database.knex);
    const table = new DeviceTable(driver, otp.model('sequence'), true);
    const secretBefore = (await fixture.database.knex('otp_sequence_device').where('id', created.id).first()).secret;
    const written: Statement[] = [];
    await driver.transaction(async (session) => {
      const recording: SqlSession = {
        rows: (statement, values) => session.rows(statement, values),
        run: (statement, values) => session.run(statement, values),
        batch: (calls) => session.batch(calls),
        write: (statement, values) => {
          written.push(statement);
          session.write(statement, values);
        },
      };
      const device = table.toDevice((await session.rows(table.lockById, [created.id]))[0]!) as SequenceDevice;
      table.write(recording, device);
      expect(written).toEqual([]);
      device.counter = 5;
      table.write(recording, device);
      table.write(recording, device); // already written: nothing more
    });
    expect(written).toHaveLength(1);
    expect(written[0]!.text).toMatch(/^UPDATE otp_sequence_device SET [`"]counter[`"] = (\?|\$1) WHERE id = (\?|\$2)$/);
    const after = (await otp.deviceFromPersistentId<SequenceDevice>(created.persistentId))!;
    expect({ counter: after.counter, name: after.name, confirmed: after.confirmed }).toEqual({ counter: 5, name: 'Token', confirmed: true });
    expect((await fixture.database.knex('otp_sequence_device').where('id', created.id).first()).secret).toBe(secretBefore);
  });
});
