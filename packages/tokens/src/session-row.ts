import { isPrintableText, type TokenSession } from '@otpkit/core';

/** A session row as the database returns it (PostgreSQL gives `bigint` columns as strings). */
export interface SessionRow {
  id: string;
  user_id: string;
  refresh_digest: string;
  generation: number | string;
  created_at: number | string;
  last_used_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
  user_agent: string | null;
  ip: string | null;
  amr: string;
  aal: number | string;
  device_id: string | null;
}


/** The listed form of a row. */
export function sessionOf(row: SessionRow): TokenSession {
  return {
    id: row.id,
    userId: row.user_id,
    generation: Number(row.generation),
    createdAt: Number(row.created_at),
    lastUsedAt: Number(row.last_used_at),
    expiresAt: Number(row.expires_at),
    userAgent: row.user_agent,
    ip: row.ip,
    amr: JSON.parse(row.amr) as string[],
    aal: Number(row.aal) === 2 ? 2 : 1,
    deviceId: row.device_id,
  };
}

/** `value` cut to `max` characters when it is printable text, else `null` (client metadata is never trusted). */
export function clientText(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const cut = value.slice(0, max);
  return isPrintableText(cut) ? cut : null;
}
