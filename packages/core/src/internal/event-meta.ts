import type { EventMeta } from '../events.js';
import { isPrintableText } from '../printable-text.js';

/** The audit table's column sizes, which every event keeps to. */
export const META_LIMITS = Object.freeze({ via: 32, ip: 64, userAgent: 255, actor: 64 });

/** An {@link EventMeta} with every field present and fit for the audit table. */
export interface ResolvedMeta {
  readonly via: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly actor: string | null;
}

/** Printable text cut to `max` characters, or `null` for anything else (empty, not a string, control characters). */
function printable(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const cut = value.trim().slice(0, max);
  return cut !== '' && isPrintableText(cut) ? cut : null;
}

/**
 * The caller's metadata, made safe to store and show. It never throws, since it runs after a
 * change committed: a value that is not printable text is dropped (`via` falls back to `'direct'`).
 */
export function resolveEventMeta(meta: EventMeta | undefined): ResolvedMeta {
  if (meta === null || typeof meta !== 'object') return { via: 'direct', ip: null, userAgent: null, actor: null };
  return {
    via: printable(meta.via, META_LIMITS.via) ?? 'direct',
    ip: printable(meta.ip, META_LIMITS.ip),
    userAgent: printable(meta.userAgent, META_LIMITS.userAgent),
    actor: printable(meta.actor, META_LIMITS.actor),
  };
}
