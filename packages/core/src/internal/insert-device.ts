import type { Knex } from 'knex';
import { columnKind } from '../columns.js';
import type { DevicePurpose } from '../device-purpose.js';
import { columnsOf, SECRET_PLACEHOLDER, type Device, type DeviceClass } from '../device.js';
import type { SecretBox } from '../secret-box.js';
import { bindingOf } from './sealed-secrets.js';

/** A new device row: the plugin's own columns (secrets in clear, sealed here) and core's. */
export interface NewDeviceRow {
  readonly own: Readonly<Record<string, unknown>>;
  readonly userId: string;
  readonly name: string;
  readonly confirmed: boolean;
  readonly purpose: DevicePurpose;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly throttlingFailureCount: number;
  readonly throttlingFailureTimestamp: number | null;
}

/**
 * Inserts a device in `trx` and seals its secret columns. The row id is part of what a sealed
 * secret is bound to, so the row is inserted with placeholders first and sealed after, in the
 * same transaction. Also makes the owner's guessing-budget row, so that verifications find it
 * and only lock it.
 */
export async function insertDevice(trx: Knex.Transaction, model: DeviceClass, secretBox: SecretBox, row: NewDeviceRow): Promise<Device> {
  const { own, ...common } = row;
  const columns = columnsOf(model);
  const secrets = Object.keys(own).filter((property) => columns[property] !== undefined && columnKind(columns[property]!) === 'secret' && own[property] !== null);
  const placeholders = Object.fromEntries(secrets.map((property) => [property, SECRET_PLACEHOLDER]));
  await trx('otp_user_throttle').insert({ user_id: row.userId }).onConflict('user_id').ignore();
  const { id } = (await model.query(trx).insert({ ...own, ...placeholders, ...common })) as unknown as Device;
  if (secrets.length > 0) {
    const sealed = secrets.map((property) => {
      const binding = bindingOf(model, property, id, row.userId);
      return [binding.column, secretBox.seal(String(own[property]), binding)];
    });
    await trx(model.tableName).update(Object.fromEntries(sealed)).where('id', id);
  }
  return (await model.query(trx).findById(id)) as unknown as Device;
}
