/**
 * Type tests of the plugin registry, checked by `tsc -p tsconfig.json --noEmit` (never run):
 * each `@ts-expect-error` fails the check when the line it guards compiles, and each `Same`
 * assertion fails it when an inferred type is not exactly the one named.
 */
import { createOtp, type Device, type EnrolOutcome, type Otp } from '@otpkit/core';
import { email, type EmailDevice } from '@otpkit/email';
import { hotp, type HOTPDevice } from '@otpkit/hotp';
import { staticTokens, type BackupCodesEnrolment, type StaticDevice } from '@otpkit/static';
import { totp, type TOTPDevice, type TotpEnrolment } from '@otpkit/totp';
import { PasskeySignIn, webauthn, type WebAuthnDevice } from '@otpkit/webauthn';
import type { Knex } from 'knex';

/** `true` only when `A` and `B` are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;

declare const knex: Knex;
const otp = createOtp({
  knex,
  devices: [totp(), hotp(), staticTokens(), email({ transport: 'smtp://127.0.0.1:9', from: 'a@b.test' }), webauthn({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' })],
});

export async function registryInfersModels(): Promise<void> {
  // Right names infer the model type.
  same<Awaited<ReturnType<typeof otp.createDevice<'totp'>>>, TOTPDevice>(true);
  const phone = await otp.createDevice('totp', 1, { digits: 8, step: 60, name: 'Phone' });
  same<typeof phone, TOTPDevice>(true);
  same<typeof phone.lastT, number>(true);
  same<Awaited<ReturnType<typeof otp.createDevice<'hotp'>>>, HOTPDevice>(true);
  same<Awaited<ReturnType<typeof otp.createDevice<'static'>>>, StaticDevice>(true);
  same<Awaited<ReturnType<typeof otp.createDevice<'email'>>>, EmailDevice>(true);
  same<Awaited<ReturnType<typeof otp.createDevice<'webauthn'>>>, WebAuthnDevice>(true);
  same<InstanceType<ReturnType<typeof otp.model<'email'>>>, EmailDevice>(true);

  // Enrolment returns the plugin's own display.
  const enrolled = await otp.enroll('totp', 1);
  if (enrolled.ok) same<typeof enrolled.display, TotpEnrolment>(true);
  const codes = await otp.enroll('static', 1, { count: 5 });
  if (codes.ok) same<typeof codes.display, BackupCodesEnrolment>(true);

  // A typed instance goes wherever any Otp is taken (Express, the CLI), whatever its devices' tokens.
  const anyOtp: Otp = otp;
  same<Awaited<ReturnType<typeof anyOtp.createDevice>>, Device<any, any>>(true);
  same<Awaited<ReturnType<typeof anyOtp.enroll>>, EnrolOutcome>(true);
  const passkeys = createOtp({ knex, devices: [webauthn({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' })] });
  same<Awaited<ReturnType<typeof passkeys.createDevice<'webauthn'>>>, WebAuthnDevice>(true);
  const passkeyOtp: Otp = passkeys;
  void new PasskeySignIn(passkeyOtp);
}

export async function registryRefusesMistakes(): Promise<void> {
  // @ts-expect-error: 'sms' is not registered on this instance
  await otp.createDevice('sms', 1, { number: '+14155550100' });
  // @ts-expect-error: nor is a misspelt type
  await otp.enroll('topt', 1);
  // @ts-expect-error: TOTP tokens have 6 or 8 digits
  await otp.createDevice('totp', 1, { digits: 7 });
  // @ts-expect-error: an email address is a string
  await otp.createDevice('email', 1, { email: 42 });
  // @ts-expect-error: confirmed is a boolean
  await otp.createDevice('hotp', 1, { confirmed: 'yes' });
  // @ts-expect-error: a TOTPDevice is not a StaticDevice
  const wrong: StaticDevice = await otp.createDevice('totp', 1);
  void wrong;
  // @ts-expect-error: the factory must be called
  createOtp({ knex, devices: [totp] });
  // @ts-expect-error: TOTP options are typed: a step is a number
  totp({ step: '30' });
  // @ts-expect-error: and the digits are 6 or 8
  totp({ digits: 7 });
  // @ts-expect-error: static counts are numbers
  staticTokens({ count: 'ten' });
}
