import { randomBytes } from 'node:crypto';
import { createOtp, type Device, type OtpOptions } from '@otpkit/core';
import { FakeClock, type BackendBlock } from '@otpkit/core/testing';
import { email } from '@otpkit/email';
import { createSignIn, type SignIn, type SignInOptions } from '@otpkit/signin';
import { sms, TwilioProvider } from '@otpkit/sms';
import { afterAll, beforeAll } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../../email/src/test-support/smtp-sink.js';
import { ACCOUNT_SID, AUTH_TOKEN, startTwilioServer, type TwilioServer } from '../../../sms/src/test-support/twilio-server.js';

/** The sender of every mail and SMS. */
export const MAIL_FROM = 'Acme <signin@acme.example>';
export const SMS_FROM = '+15005550006';
/** Where test links point. */
export const LINK_BASE = 'https://acme.example/signin/link?token=';

/** Makes otp instances with both plugins, a real SMTP server and a real Twilio-speaking server. */
export type SignInOtp = ReturnType<typeof createFixtureOtp>;

function createFixtureOtp(options: Omit<OtpOptions, 'devices'>, smtp: SmtpSink, twilio: TwilioServer) {
  return createOtp({
    ...options,
    devices: [
      sms({ provider: new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SMS_FROM, baseUrl: twilio.baseUrl }) }),
      email({ transport: smtp.url, from: MAIL_FROM }),
    ],
  });
}

/** A block's otp instance and sign-in over it, with the servers that receive what it sends. */
export interface SignInFixture {
  readonly clock: FakeClock;
  readonly otp: SignInOtp;
  readonly smtp: SmtpSink;
  readonly twilio: TwilioServer;
  /** A sign-in over `otp` whose envelope moves the fake clock, with magic links to {@link LINK_BASE}. */
  signIn(options?: Partial<SignInOptions>): SignIn;
  /** Another otp instance on the block's database (the system clock unless `options` say otherwise). */
  otpWith(options?: Partial<Omit<OtpOptions, 'devices' | 'knex'>>): SignInOtp;
  /** A user id, a phone number and an email address no other test of the block uses. */
  fresh(): { readonly userId: string; readonly phone: string; readonly email: string };
  /** Starts a sign-in by `signIn` for the address, waits for the deliveries, and returns the code the address received. */
  codeSentTo(signIn: SignIn, address: { readonly phone: string } | { readonly email: string }): Promise<string>;
  /** A user with a confirmed SMS device for `purpose`. */
  phoneUser(purpose?: 'login' | 'second-factor' | 'both'): Promise<{ readonly userId: string; readonly phone: string; readonly device: Device }>;
  /** A user with a confirmed email device for `purpose`. */
  emailUser(purpose?: 'login' | 'second-factor' | 'both'): Promise<{ readonly userId: string; readonly email: string; readonly device: Device }>;
}

/** Registers the hooks that start the servers and migrate the block's database; the fixture is usable in tests. */
export function signInFixture(block: BackendBlock): SignInFixture {
  const clock = new FakeClock();
  const secretKeys = { '1': randomBytes(32).toString('hex') };
  let servers: { smtp: SmtpSink; twilio: TwilioServer; otp: SignInOtp } | undefined;
  let next = 1000;
  const ready = () => {
    if (servers === undefined) throw new Error('the fixture is made in beforeAll');
    return servers;
  };
  const otpWith: SignInFixture['otpWith'] = (options = {}) => createFixtureOtp({ knex: block.database.knex, secretKeys, logger: { warn: () => {} }, ...options }, ready().smtp, ready().twilio);
  beforeAll(async () => {
    const [smtp, twilio] = await Promise.all([startSmtpSink(), startTwilioServer()]);
    const otp = createFixtureOtp({ knex: block.database.knex, clock: clock.now, secretKeys, logger: { warn: () => {} } }, smtp, twilio);
    servers = { smtp, twilio, otp };
    await otp.migrate();
    await createSignIn(otp).migrate();
  });
  afterAll(async () => {
    await servers?.smtp.close();
    await servers?.twilio.close();
  });
  const fresh = () => {
    next += 1;
    return { userId: `user-${next}`, phone: `+1415555${String(next).padStart(4, '0')}`, email: `user-${next}@example.test` };
  };
  return {
    clock,
    get otp() {
      return ready().otp;
    },
    get smtp() {
      return ready().smtp;
    },
    get twilio() {
      return ready().twilio;
    },
    signIn: (options = {}) =>
      createSignIn(ready().otp, { sleep: async (ms) => clock.advance(ms), linkUrl: (token) => `${LINK_BASE}${token}`, ...options }),
    otpWith,
    fresh,
    async codeSentTo(signIn, address) {
      await signIn.start(address);
      await signIn.idle();
      return 'phone' in address ? ready().twilio.lastTokenTo(address.phone) : ready().smtp.lastTokenTo(address.email);
    },
    async phoneUser(purpose = 'login') {
      const { userId, phone } = fresh();
      const device = await ready().otp.createDevice('sms', userId, { number: phone, confirmed: true, purpose });
      return { userId, phone, device };
    },
    async emailUser(purpose = 'login') {
      const { userId, email: address } = fresh();
      const device = await ready().otp.createDevice('email', userId, { email: address, confirmed: true, purpose });
      return { userId, email: address, device };
    },
  };
}
