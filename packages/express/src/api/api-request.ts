import type { Request } from 'express';
import { ValidationError, describeRefusal, type Device, type Otp, type VerifyOutcome } from '@otpkit/core';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { refusalError } from './refusal-error.js';

/** The authenticated user's id. @throws ApiError `unauthenticated` */
export function requireUser(req: Request): string {
  if (req.otp.userId === null) throw new ApiError('unauthenticated');
  return req.otp.userId;
}

/** The user of a verified session. @throws ApiError `unauthenticated`, `verification_required` */
export function requireVerified(req: Request): string {
  const userId = requireUser(req);
  if (!req.otp.isVerified()) throw new ApiError('verification_required');
  return userId;
}

/** The user of a session verified with a token less than otpMiddleware's `recentVerification` ago. @throws ApiError */
export function requireRecentVerification(req: Request): string {
  const userId = requireVerified(req);
  if (!req.otp.isRecentlyVerified()) throw new ApiError('recent_verification_required');
  return userId;
}

/**
 * The user, who may change the account's factors (add, confirm, regenerate): anyone
 * authenticated while the user has no confirmed device of any purpose (first enrolment; a
 * `login`-only device is a factor of the account too), otherwise only a session verified recently
 * with a token (step-up; a remembered browser or a rescue never counts).
 * @throws ApiError
 */
export async function requireFactorChange(otp: Otp, req: Request): Promise<string> {
  const userId = requireUser(req);
  if ((await otp.devicesForUser(userId, { confirmed: true })).length > 0) requireRecentVerification(req);
  return userId;
}

/** The body fields that carry a code the user typed (`token`; a sign-in's `code`). */
const TOKEN_FIELDS: readonly string[] = ['token', 'code'];

/**
 * The JSON body parsed by `schema`.
 * @throws ApiError `token_not_string` (a 400) for a code sent as a JSON number: `012345` would
 *   arrive as `12345`, so a number is never taken, rather than taken when it happens to work;
 *   ValidationError listing the offending fields (a 400) for any other mistake.
 */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  const numeric = parsed.error.issues.find((issue) => TOKEN_FIELDS.includes(String(issue.path[0])) && typeof req.body?.[issue.path[0] as string] === 'number');
  if (numeric !== undefined) throw new ApiError('token_not_string', { details: { field: String(numeric.path[0]) } });
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'body'))];
  throw new ValidationError(`Invalid fields: ${fields.join(', ')}`, { field: fields[0] });
}

/** The persistent id named by `:type/:id` route parameters. */
export function routeDeviceId(req: Request): string {
  return `${String(req.params.type)}/${String(req.params.id)}`;
}

/** The user's device by persistent id (confirmed or not). @throws ApiError `device_not_found` */
export async function ownDevice(otp: Otp, userId: string, persistentId: string): Promise<Device> {
  const device = await otp.deviceFromPersistentId(persistentId);
  if (device === null || device.userId !== userId) throw new ApiError('device_not_found');
  return device;
}

/**
 * The device of a successful verification; a refusal (which core reported as `failed` or
 * `throttled`) throws `invalid_token` or `malformed_token` (400), `throttled` (429 with Retry-After) or `device_not_found` (404).
 */
export function verifiedDevice(otp: Otp, outcome: VerifyOutcome): Device {
  if (outcome.ok) return outcome.device;
  throw refusalError(describeRefusal(outcome, otp.clock()));
}
