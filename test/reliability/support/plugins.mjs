/**
 * The device plugins the reliability tests run, built from JSON-friendly specs, so that the test
 * process (which imports the TypeScript sources) and the worker processes (which import the built
 * packages) configure exactly the same plugins.
 * @module
 */
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { webauthn } from '@otpkit/webauthn';

/** The plugin types the reliability tests cover, in the order `matchToken` tries them. */
export const PLUGIN_TYPES = ['totp', 'hotp', 'static', 'email', 'sms', 'webauthn'];

/** The relying party of the WebAuthn plugin, which the soft authenticator's credentials are made for. */
export const RELYING_PARTY = Object.freeze({ rpName: 'otpkit', rpID: 'acme.example', origins: 'https://acme.example' });

/** An SMS gateway that accepts every message; verification never sends, so workers never use it. */
const acceptingProvider = { send: async () => {} };

/**
 * The plugins for `types`, each with throttle factor `throttleFactor`. Email goes to `mailUrl`
 * (an SMTP URL), or nowhere (nodemailer's JSON transport) when it is not given.
 * @param {{ types?: string[], throttleFactor: number, mailUrl?: string, smsProvider?: { send(to: string, text: string): Promise<void> } }} spec
 */
export function buildPlugins({ types = PLUGIN_TYPES, throttleFactor, mailUrl, smsProvider = acceptingProvider }) {
  const throttle = { factor: throttleFactor };
  const factories = {
    totp: () => totp({ throttle }),
    hotp: () => hotp({ throttle }),
    static: () => staticTokens({ throttle }),
    email: () => email({ transport: mailUrl ?? { jsonTransport: true }, from: 'otpkit <otp@example.test>', throttle }),
    sms: () => sms({ provider: smsProvider, throttle }),
    // Assertions are signatures: never guessed, so never throttled.
    webauthn: () => webauthn(RELYING_PARTY),
  };
  return types.map((type) => factories[type]());
}
