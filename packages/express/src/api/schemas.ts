import { z } from 'zod';

const name = z.string().trim().min(1).max(64).optional();
const persistentId = z.string().min(1).max(64);
const token = z.string().min(1).max(128);

/** `POST /devices/totp` */
export const totpSetupBody = z.object({ name });
/** `POST /devices/email` */
export const emailSetupBody = z.object({ name, email: z.string().trim().min(3).max(254).optional() });
/** `POST /devices/sms` */
export const smsSetupBody = z.object({ name, number: z.string().min(3).max(32) });
/** `POST /backup-codes` */
export const backupCodesBody = z.object({ name });
/** `POST /devices/:type/:id/confirm` and `POST /rescue/verify` */
export const tokenBody = z.object({ token });
/** `POST /challenge` */
export const challengeBody = z.object({ device: persistentId });
/** `POST /validate` */
export const validateBody = z.object({ token, device: persistentId.optional(), remember: z.boolean().optional() });
