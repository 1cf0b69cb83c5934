import { DEVICE_PURPOSES, type DevicePurpose } from '@otpkit/core';
import { z } from 'zod';

const name = z.string().trim().min(1).max(64).optional();
const persistentId = z.string().min(1).max(64);
/** A code (text), or a credential a browser ceremony returned (WebAuthn's JSON: an object). */
const token = z.union([z.string().min(1).max(128), z.record(z.string(), z.unknown())]);

/** What a new device may be used for; core checks it against what the plugin allows. */
const purpose = z.enum(DEVICE_PURPOSES as [DevicePurpose, ...DevicePurpose[]]).optional();

/** `POST /devices/:type`: the fields every enrolment takes (the plugin's own fields are its to check). */
export const enrolBody = z.object({ name, purpose });
/** `POST /devices/:type/:id/confirm` and `POST /rescue/verify` */
export const tokenBody = z.object({ token });
/** `POST /challenge` */
export const challengeBody = z.object({ device: persistentId });
/** `POST /passkey/verify`: the browser's assertion. */
export const passkeyBody = z.object({ credential: z.record(z.string(), z.unknown()) });
/** `POST /validate` */
export const validateBody = z.object({ token, device: persistentId.optional(), remember: z.boolean().optional() });
/** `PUT /preferred-device`: a device's persistent id, or `null` to clear the preference. */
export const preferredDeviceBody = z.object({ device: persistentId.nullable() });
/** `POST /tokens/refresh`: a refresh token is `<22 characters>.<43 characters>`; the cap keeps junk out. */
const refreshToken = z.string().min(1).max(256);
export const refreshBody = z.object({ refreshToken });
/** `POST /tokens/step-up`: a second factor's token, from one named device or any of the user's. */
export const stepUpBody = z.object({ token, device: persistentId.optional() });
/** `POST /tokens/refresh` in cookie mode: the token is the cookie's, never the body's. */
export const cookieRefreshBody = z.object({ refreshToken: z.never().optional() });
/** `POST /tokens/refresh` in `'both'` mode: the body's token, or none for the cookie's. */
export const eitherRefreshBody = z.object({ refreshToken: refreshToken.optional() });

const phone = z.string().min(1).max(64);
const email = z.string().min(1).max(254);
/** `POST /signin/start`: `{ phone }` or `{ email }` (the sign-in checks that exactly one of a served method is given). */
export const signInStartBody = z.object({ phone: phone.optional(), email: email.optional() });
/** `POST /signin/finish`: the address and the code received. */
export const signInFinishBody = signInStartBody.extend({ code: z.string().min(1).max(128) });
/** `POST /signin/link`: magic links go by mail. */
export const signInLinkBody = z.object({ email });
