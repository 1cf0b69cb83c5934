import type { Request } from 'express';

/** The longest `Authorization` header looked at: a JWT of otpkit's size fits many times over. */
const MAX_AUTHORIZATION = 8192;
/** `Bearer <b64token>` (RFC 6750 §2.1), the scheme in any case. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^Bearer(?: |$)/i;

/** What a request's `Authorization` header holds: no bearer token, one, or something malformed. */
export type BearerRead = { readonly kind: 'missing' } | { readonly kind: 'malformed' } | { readonly kind: 'token'; readonly token: string };

/**
 * The bearer token of the `Authorization` header (RFC 6750 §2.1; a token in the query string or
 * the body is never read). Another scheme counts as no token; two `Authorization` headers, two
 * tokens, an over-long header or characters a token never has are malformed.
 */
export function readBearer(req: Request): BearerRead {
  const headers = req.rawHeaders.filter((_value, index) => index % 2 === 0 && req.rawHeaders[index]!.toLowerCase() === 'authorization');
  if (headers.length === 0) return { kind: 'missing' };
  const header = req.get('authorization') ?? '';
  if (headers.length > 1 || header.length > MAX_AUTHORIZATION) return { kind: 'malformed' };
  if (!SCHEME.test(header)) return { kind: 'missing' };
  const match = BEARER.exec(header);
  return match === null ? { kind: 'malformed' } : { kind: 'token', token: match[1]! };
}

/** A `WWW-Authenticate: Bearer` challenge with otpkit's realm and the given parameters (quoted unless numeric). */
export function bearerChallenge(parameters: Readonly<Record<string, string | number>> = {}): string {
  const rendered = Object.entries(parameters).map(([name, value]) => (typeof value === 'number' ? `${name}=${value}` : `${name}="${value}"`));
  return ['Bearer realm="otpkit"', ...rendered].join(', ');
}
