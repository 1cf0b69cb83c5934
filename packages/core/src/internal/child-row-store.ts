import type { Knex } from 'knex';
import { columnKind } from '../columns.js';
import type { ChildRowsDeclaration } from '../child-rows.js';
import type { Device } from '../device.js';
import { DeviceNotFoundError, ValidationError } from '../errors.js';
import type { ChildRowWriter } from '../hooks.js';
import type { SecretBinding, SecretBox } from '../secret-box.js';
import { columnName } from './sealed-secrets.js';
import { stored } from './stored.js';

type Values = Readonly<Record<string, string | number>>;

/** What a digest column of a device's child row is bound to: the child table and column, the device and its owner. */
export function childBinding(device: Device<any, any>, child: ChildRowsDeclaration, property: string): SecretBinding {
  const model = device.constructor as typeof Device;
  return { table: child.table, column: columnName(model, property), id: device.id, userId: device.userId };
}

/**
 * Writes and counts devices' child rows outside the verification path (enrolment, regeneration):
 * each write runs in a transaction holding the device's row lock, so it is serialized with
 * verifications, and stores keyed digests for `digest` columns, never the codes.
 */
export class ChildRowStore {
  readonly #knex: Knex;
  readonly #secretBox: SecretBox;

  constructor(knex: Knex, secretBox: SecretBox) {
    this.#knex = knex;
    this.#secretBox = secretBox;
  }

  /** The child rows of one device, for its enrolment hook. */
  writer(device: Device<any, any>): ChildRowWriter {
    return {
      replace: (name, rows) =>
        this.#whileLocked(device, async (trx, child) => {
          await trx(child.table).delete().where('device_id', device.id);
          if (rows.length > 0) await trx(child.table).insert(rows.map((row) => this.#row(device, child, row)));
        }, name),
      add: (name, row) =>
        this.#whileLocked(device, async (trx, child) => {
          const existing = trx(child.table).count({ n: '*' }).where('device_id', device.id);
          for (const [property, value] of Object.entries(row)) {
            const column = columnName(device.constructor as typeof Device, property);
            if (child.columns[property] !== undefined && columnKind(child.columns[property]!) === 'digest') {
              existing.whereIn(column, this.#secretBox.digestCandidates(String(value), childBinding(device, child, property)));
            } else {
              existing.where(column, value);
            }
          }
          const [{ n }] = (await existing) as [{ n: unknown }];
          if (Number(n) > 0) return false;
          await trx(child.table).insert(this.#row(device, child, row));
          return true;
        }, name),
      count: (name) => this.count(device, name),
    };
  }

  /** Inserts `rows` of `name` for a device created in `trx` (an import), digesting its `digest` columns. */
  async insert(trx: Knex.Transaction, device: Device<any, any>, name: string, rows: readonly Values[]): Promise<void> {
    const child = this.#declaration(device, name);
    if (rows.length > 0) await trx(child.table).insert(rows.map((row) => this.#row(device, child, row)));
  }

  /** How many rows of `name` the device has. */
  async count(device: Device<any, any>, name: string): Promise<number> {
    const child = this.#declaration(device, name);
    return stored(async () => {
      const [{ n }] = (await this.#knex(child.table).count({ n: '*' }).where('device_id', device.id)) as [{ n: unknown }];
      return Number(n);
    });
  }

  /** A row to insert: snake_case columns, digest columns as keyed digests bound to the device. */
  #row(device: Device<any, any>, child: ChildRowsDeclaration, values: Values): Record<string, unknown> {
    const model = device.constructor as typeof Device;
    const row: Record<string, unknown> = { device_id: device.id };
    for (const [property, type] of Object.entries(child.columns)) {
      const value = values[property];
      if (value === undefined) throw new ValidationError(`${property} is required`, { field: property });
      row[columnName(model, property)] =
        columnKind(type) === 'digest' ? this.#secretBox.digest(String(value), childBinding(device, child, property)) : value;
    }
    return row;
  }

  #declaration(device: Device<any, any>, name: string): ChildRowsDeclaration {
    const child = (device.constructor as typeof Device).children[name];
    if (child === undefined) throw new ValidationError(`the device declares no child rows named "${name}"`, { field: name });
    return child;
  }

  /** Runs `work` in a transaction holding the device's row lock. @throws DeviceNotFoundError when it was removed. */
  #whileLocked<R>(device: Device<any, any>, work: (trx: Knex.Transaction, child: ChildRowsDeclaration) => Promise<R>, name: string): Promise<R> {
    const child = this.#declaration(device, name);
    const table = (device.constructor as typeof Device).tableName;
    return stored(() =>
      this.#knex.transaction(async (trx) => {
        const found = await trx(table).select('id').where('id', device.id).forUpdate().first();
        if (found === undefined) throw new DeviceNotFoundError();
        return work(trx, child);
      }),
    );
  }

}
