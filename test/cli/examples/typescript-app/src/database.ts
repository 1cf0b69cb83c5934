// src/database.ts: the app's database, from DB_CLIENT ('pg', 'mysql2' or 'better-sqlite3') and DB_CONNECTION.
import knexFactory, { type Knex } from 'knex';

const client = process.env.DB_CLIENT ?? 'pg';
const connection = process.env.DB_CONNECTION ?? '';

export const database: Knex = knexFactory({
  client,
  connection: client === 'better-sqlite3' ? { filename: connection } : connection,
  useNullAsDefault: true,
});
