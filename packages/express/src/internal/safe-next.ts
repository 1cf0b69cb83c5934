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
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
