import { z } from 'zod';

const name = z.string().trim().min(1).max(64).optional();
const persistentId = z.string().min(1).max(64);
const token = z.string().min(1).max(128);

/** `POST /devices/:type`: the fields every enrolment takes (the plugin's own fields are its to check). */
export const enrolBody = z.object({ name });
/** `POST /devices/:type/:id/confirm` and `POST /rescue/verify` */
export const tokenBody = z.object({ token });
/** `POST /challenge` */
export const challengeBody = z.object({ device: persistentId });
/** `POST /validate` */
export const validateBody = z.object({ token, device: persistentId.optional(), remember: z.boolean().optional() });
