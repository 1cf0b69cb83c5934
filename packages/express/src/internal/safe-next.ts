const BASE = 'http://otpkit.invalid';

/**
 * `value` if it is a same-origin relative URL (`/billing?x=1`), else `fallback`. Refuses absolute
 * and protocol-relative URLs (`//evil.example`, `/\evil.example`), schemes, and control characters.
 */
export function safeNext(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, BASE);
    const next = `${url.pathname}${url.search}${url.hash}`;
    // Dot segments can normalize to a protocol-relative URL: `/.//evil.example` → `//evil.example`.
    return url.origin === BASE && !next.startsWith('//') ? next : fallback;
  } catch {
    return fallback;
  }
}
