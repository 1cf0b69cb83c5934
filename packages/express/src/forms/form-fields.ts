import { z } from 'zod';

/** A form text field: a string of at most `max` characters; anything else (a repeated field, an object) is absent. */
export function textField(max: number) {
  return z.string().max(max).optional().catch(undefined);
}

/** The second-factor fields every token form has (django-otp's names). */
export const otpFieldsSchema = z.object({
  otp_device: textField(64),
  otp_token: textField(128),
  otp_credential: textField(16 * 1024),
  otp_challenge: textField(16),
  remember: textField(16),
  prefer: textField(16),
});

/** Parses a urlencoded body leniently: a non-object body is an empty form. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body !== null && typeof body === 'object' ? body : {});
  return parsed.success ? parsed.data : schema.parse({});
}
