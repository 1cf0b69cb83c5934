import type { OathAlgorithm } from '../oath.js';

/** RFC 4226 appendix D: HOTP with the ASCII key "12345678901234567890", counters 0 to 9. */
export const RFC4226_VECTORS = Object.freeze({
  key: new TextEncoder().encode('12345678901234567890'),
  tokens: Object.freeze(['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']),
});

/** One RFC 6238 appendix B row: at `time` (Unix seconds), with `algorithm`, the 8-digit TOTP is `token`. */
export interface Rfc6238Vector {
  readonly time: number;
  readonly algorithm: OathAlgorithm;
  readonly token: string;
}

/** RFC 6238's keys: the ASCII seed of each algorithm (20, 32 and 64 bytes). */
export const RFC6238_KEYS: Readonly<Record<OathAlgorithm, Uint8Array>> = Object.freeze({
  sha1: new TextEncoder().encode('12345678901234567890'),
  sha256: new TextEncoder().encode('12345678901234567890123456789012'),
  sha512: new TextEncoder().encode('1234567890123456789012345678901234567890123456789012345678901234'),
});

/** RFC 6238 appendix B, with step 30 and t0 0. */
export const RFC6238_VECTORS: readonly Rfc6238Vector[] = Object.freeze([
  { time: 59, algorithm: 'sha1', token: '94287082' },
  { time: 59, algorithm: 'sha256', token: '46119246' },
  { time: 59, algorithm: 'sha512', token: '90693936' },
  { time: 1111111109, algorithm: 'sha1', token: '07081804' },
  { time: 1111111109, algorithm: 'sha256', token: '68084774' },
  { time: 1111111109, algorithm: 'sha512', token: '25091201' },
  { time: 1111111111, algorithm: 'sha1', token: '14050471' },
  { time: 1111111111, algorithm: 'sha256', token: '67062674' },
  { time: 1111111111, algorithm: 'sha512', token: '99943326' },
  { time: 1234567890, algorithm: 'sha1', token: '89005924' },
  { time: 1234567890, algorithm: 'sha256', token: '91819424' },
  { time: 1234567890, algorithm: 'sha512', token: '93441116' },
  { time: 2000000000, algorithm: 'sha1', token: '69279037' },
  { time: 2000000000, algorithm: 'sha256', token: '90698825' },
  { time: 2000000000, algorithm: 'sha512', token: '38618901' },
  { time: 20000000000, algorithm: 'sha1', token: '65353130' },
  { time: 20000000000, algorithm: 'sha256', token: '77737706' },
  { time: 20000000000, algorithm: 'sha512', token: '47863826' },
] as const);
