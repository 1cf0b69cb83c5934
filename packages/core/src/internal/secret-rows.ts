/**
 * The stored secrets of every device table and digest table, walked in batches by id: reported
 * (`checkSecrets`) or resealed under the newest key and the row binding (`rotateSecrets`).
 * @module
 */
import type { Knex } from 'knex';
import { columnKind } from '../columns.js';
import { columnsOf, type DeviceClass } from '../device.js';
import type { SecretBinding, SecretBox, SecretReport } from '../secret-box.js';
import { bindingOf, columnName } from './sealed-secrets.js';

const BATCH = 200;

/** One stored value with its row and binding. */
interface StoredValue {
  readonly table: string;
  readonly column: string;
  readonly id: number;
  readonly stored: string;
  readonly binding: SecretBinding;
  /** The 0.1 additional data (`table.property`) of a sealed column; `null` for a digest. */
  readonly legacyWhere: string | null;
}

/** A batch of values read in `trx`, after the row id `after`; `lock` locks the rows read. */
type Reader = (trx: Knex.Transaction, after: number, lock: boolean) => Promise<{ values: StoredValue[]; last: number | null }>;

/** The readers of a model: its secret columns, then its digest rows. */
function readersOf(model: DeviceClass): Reader[] {
  const readers: Reader[] = [];
  const secrets = Object.entries(columnsOf(model)).filter(([, type]) => columnKind(type) === 'secret').map(([property]) => property);
  if (secrets.length > 0) {
    readers.push(async (trx, after, lock) => {
      const query = trx(model.tableName)
        .select(['id', 'user_id', ...secrets.map((property) => columnName(model, property))])
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH);
      const rows: Record<string, unknown>[] = await (lock ? query.forUpdate() : query);
      const values = rows.flatMap((row) =>
        secrets.flatMap((property) => {
          const binding = bindingOf(model, property, Number(row.id), String(row.user_id));
          const stored = row[binding.column];
          if (stored === null || stored === undefined) return [];
          return [{ table: binding.table, column: binding.column, id: binding.id, stored: String(stored), binding, legacyWhere: `${model.tableName}.${property}` }];
        }),
      );
      return { values, last: rows.length === 0 ? null : Number(rows.at(-1)!.id) };
    });
  }
  for (const child of Object.values(model.children)) {
    for (const [property, type] of Object.entries(child.columns)) {
      if (columnKind(type) !== 'digest') continue;
      const column = columnName(model, property);
      readers.push(async (trx, after, lock) => {
        const query = trx(`${child.table} as d`)
          .join(`${model.tableName} as device`, 'device.id', 'd.device_id')
          .select({ id: 'd.id', stored: `d.${column}`, deviceId: 'device.id', userId: 'device.user_id' })
          .where('d.id', '>', after)
          .orderBy('d.id')
          .limit(BATCH);
        const rows: { id: unknown; stored: unknown; deviceId: unknown; userId: unknown }[] = await (lock ? query.forUpdate() : query);
        const values = rows.map((row) => ({
          table: child.table,
          column,
          id: Number(row.id),
          stored: String(row.stored),
          binding: { table: child.table, column, id: Number(row.deviceId), userId: String(row.userId) },
          legacyWhere: null,
        }));
        return { values, last: rows.length === 0 ? null : Number(rows.at(-1)!.id) };
      });
    }
  }
  return readers;
}

/** Runs `each` on every batch of every reader of `models`, one transaction per batch. */
async function walk(knex: Knex, models: readonly DeviceClass[], lock: boolean, each: (trx: Knex.Transaction, values: StoredValue[]) => Promise<void>): Promise<void> {
  for (const read of models.flatMap(readersOf)) {
    for (let after = 0; ; ) {
      const last = await knex.transaction(async (trx) => {
        const batch = await read(trx, after, lock);
        await each(trx, batch.values);
        return batch.last;
      });
      if (last === null) break;
      after = last;
    }
  }
}

/** Every stored secret and digest of `models` that `box` cannot use, in table then id order. */
export async function findSecretProblems(knex: Knex, box: SecretBox, models: readonly DeviceClass[]): Promise<SecretReport[]> {
  const reports: SecretReport[] = [];
  await walk(knex, models, false, async (_trx, values) => {
    for (const { table, column, id, stored, binding, legacyWhere } of values) {
      const problem = legacyWhere === null ? box.problemOfDigest(stored) : box.problem(stored, binding);
      if (problem !== null) reports.push({ table, column, id, userId: binding.userId, problem });
    }
  });
  return reports;
}

/**
 * Reseals every stored secret of `models` under the newest key and its row binding (plaintext and
 * 0.1 values included), and keys unkeyed digests. Rows are locked batch by batch, and each column
 * of a batch is written with one `UPDATE … CASE id …`, so a million rows take thousands of round
 * trips, not a million.
 * @returns how many values were rewritten.
 * @throws SecretError for a value no configured key opens.
 */
export async function resealSecrets(knex: Knex, box: SecretBox, models: readonly DeviceClass[]): Promise<number> {
  let rewritten = 0;
  await walk(knex, models, true, async (trx, values) => {
    const changes = new Map<string, { table: string; column: string; rows: [number, string][] }>();
    for (const { table, column, id, stored, binding, legacyWhere } of values) {
      const resealed = legacyWhere === null ? box.resealDigest(stored, binding) : box.reseal(stored, binding, legacyWhere);
      if (resealed === null) continue;
      const key = `${table}.${column}`;
      const change = changes.get(key) ?? { table, column, rows: [] };
      change.rows.push([id, resealed]);
      changes.set(key, change);
    }
    for (const { table, column, rows } of changes.values()) {
      const cases = trx.raw(`CASE ?? ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`, ['id', ...rows.flat()]);
      await trx(table).update({ [column]: cases }).whereIn('id', rows.map(([id]) => id));
      rewritten += rows.length;
    }
  });
  return rewritten;
}
