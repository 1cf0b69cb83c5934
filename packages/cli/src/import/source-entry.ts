import type { ImportedDevice } from '@otpkit/core';

/** Why a source row is skipped before it reaches otpkit. */
export type SourceSkipReason = 'unsupported' | 'invalid';

/**
 * One device read from a source (django-otp's tables, a file of Key-URIs), with the user it
 * belongs to there: a device to import, or a row that cannot be one and why.
 */
export type SourceEntry =
  | { readonly sourceUser: string; readonly device: ImportedDevice }
  | { readonly sourceUser: string; readonly source: string; readonly type: string; readonly skip: SourceSkipReason; readonly message: string };
