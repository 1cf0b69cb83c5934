import { checkOptionKeys, ConfigurationError, isHttpUrl, resolveLogger, type EventMeta, type Logger, type LoggerOption, type Otp, type SignInAddress, type SignInMethod, type UserId } from '@otpkit/core';
import { resolveLimits, warnOfProcessLimits, type SignInLimits } from './limits.js';

/**
 * The message a magic link is mailed in, in every language. Templates fill `{link}` and
 * `{validMinutes}` (and the email plugin's `context`); in `html`, values are HTML-escaped. A field
 * left out is the catalog's (`signin.link.*`) in the asker's locale.
 */
export interface LinkMessage {
  /** @default the catalog's `signin.link.subject` ('Your sign-in link') */
  readonly subject: string;
  /** @default the catalog's `signin.link.text` ('Sign in by opening this link: {link}\n\nIt expires in {validMinutes} minutes and works once. If you did not ask for it, ignore this message.') */
  readonly text: string;
  /** `null` sends plain text only. @default the catalog's `signin.link.html`: a paragraph with the link as a button-like anchor and the same notice */
  readonly html: string | null;
}

/** The options of {@link createSignIn}. */
export interface SignInOptions {
  /**
   * The methods served: `sms` (`{ phone }`, through the `sms` plugin's devices and provider) and
   * `email` (`{ email }`, through the `email` plugin's devices and transport).
   * @default each of the two whose plugin is configured on the otp instance
   */
  readonly methods?: readonly SignInMethod[];
  /**
   * Finds the user an address belongs to in your own users table, instead of the address columns
   * of the login devices (`otp_sms_device.number`, `otp_email_device.email`). The user then signs
   * in with their confirmed login device (purpose `login` or `both`) of that method whose
   * destination is the address: an email device that follows the user's address counts. Return
   * `null` for no one.
   * @default none: the oldest confirmed login device whose own address column holds the address
   */
  readonly findUser?: (address: SignInAddress) => UserId | null | Promise<UserId | null>;
  /**
   * Registration on first sign-in: called once a code sent to an unknown address came back, with
   * the normalized address and the finishing call's metadata; returns the new user's id. The user's
   * confirmed login device (purpose `login`) is then created for the address. Off when absent:
   * an unknown address is sent nothing.
   * @default none (off)
   */
  readonly register?: (address: SignInAddress, meta: EventMeta) => Promise<UserId>;
  /**
   * The timing envelope of `start` and `startLink`: they answer no earlier than this many
   * milliseconds after they were called (measured with `otp.clock`), known address or not. Deliveries
   * run after the answer (see {@link SignIn.start}), so it needs to cover the address look-up and
   * the limits only.
   * @default 400
   */
  readonly envelopeMs?: number;
  /** How the envelope waits. Tests inject one that moves a fake clock. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The URL a magic link opens, made from its token (`(token) => \`https://acme.example/signin/link?token=${token}\``):
   * an absolute http(s) URL, checked at start-up. Magic links are off without it.
   * @default none (magic links off)
   */
  readonly linkUrl?: (token: string) => string;
  /** How long a magic link works, in seconds. @default 900 (15 minutes) */
  readonly linkSeconds?: number;
  /**
   * A magic link signs in only the browser that asked for it (its `browser` value); opened
   * elsewhere, it answers `confirm_browser` until the user confirms. `false` lets any browser in.
   * @default true
   */
  readonly bindToBrowser?: boolean;
  /** The message a magic link is mailed in, in every language; missing fields are the catalog's in the asker's locale. @default {} */
  readonly linkMessage?: Partial<LinkMessage>;
  /**
   * The send and attempt limits (rate-limiter-flexible limiters; missing ones take their defaults,
   * in memory). Give `RateLimiterRedis` or `RateLimiterPostgres` instances so that the limits hold
   * across processes. See {@link SignInLimits} for each limit and its default. A limit left to its
   * default under `NODE_ENV=production` or in a `node:cluster` worker is warned about at start-up.
   * @default {@link defaultLimits}() (one process's memory)
   */
  readonly limits?: Partial<SignInLimits>;
  /** Where failed background deliveries are reported (never with the address or code): an object with a `warn(message)` method or a function of the message. @default console.warn */
  readonly logger?: LoggerOption;
}

/** The defaults of the numeric and boolean options of {@link SignInOptions}. */
export const DEFAULT_SIGN_IN_OPTIONS = Object.freeze({
  envelopeMs: 400,
  linkSeconds: 900,
  bindToBrowser: true,
});

const OPTION_KEYS: readonly (keyof SignInOptions)[] = Object.freeze([
  'methods',
  'findUser',
  'register',
  'envelopeMs',
  'sleep',
  'linkUrl',
  'linkSeconds',
  'bindToBrowser',
  'linkMessage',
  'limits',
  'logger',
]);

/** The options after checking, with every default filled in. */
export interface ResolvedSignInOptions {
  readonly methods: readonly SignInMethod[];
  readonly findUser: ((address: SignInAddress) => UserId | null | Promise<UserId | null>) | null;
  readonly register: ((address: SignInAddress, meta: EventMeta) => Promise<UserId>) | null;
  readonly envelopeMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly linkUrl: ((token: string) => string) | null;
  readonly linkSeconds: number;
  readonly bindToBrowser: boolean;
  /** The fields the application gave; the others are the catalog's. */
  readonly linkMessage: Partial<LinkMessage>;
  readonly limits: Readonly<SignInLimits>;
  readonly logger: Logger;
}

const PLUGIN_OF_METHOD: Readonly<Record<SignInMethod, string>> = Object.freeze({ sms: 'sms', email: 'email' });

function fail(message: string): never {
  throw new ConfigurationError(`createSignIn: ${message}`);
}

function optionalFunction<F>(name: string, value: unknown): F | null {
  if (value === undefined) return null;
  if (typeof value !== 'function') fail(`${name} must be a function`);
  return value as F;
}

function methodsOf(otp: Otp, input: unknown): readonly SignInMethod[] {
  const configured = (Object.keys(PLUGIN_OF_METHOD) as SignInMethod[]).filter((method) => otp.plugins.some((plugin) => plugin.type === PLUGIN_OF_METHOD[method]));
  if (input === undefined) {
    if (configured.length === 0) fail('the otp instance has neither an sms nor an email plugin: add sms({ … }) or email({ … }) to createOtp\'s devices');
    return Object.freeze(configured);
  }
  if (!Array.isArray(input) || input.length === 0 || input.some((method) => method !== 'sms' && method !== 'email')) fail("methods must list 'sms', 'email' or both");
  const missing = (input as SignInMethod[]).find((method) => !configured.includes(method));
  if (missing !== undefined) fail(`methods lists '${missing}' but the otp instance has no ${missing} plugin: add ${missing}({ … }) to createOtp's devices`);
  return Object.freeze([...new Set(input as SignInMethod[])]);
}

/**
 * The link message's fields the application gave, checked; each of them, and the catalog's in every
 * locale for the others, must carry `{link}`.
 */
function linkMessageOf(otp: Otp, input: unknown): Partial<LinkMessage> {
  if (input === undefined) input = {};
  if (input === null || typeof input !== 'object') fail('linkMessage must be an object: { subject?, text?, html? }');
  checkOptionKeys('createSignIn: linkMessage', input, ['subject', 'text', 'html']);
  const message = input as Partial<LinkMessage>;
  for (const field of ['subject', 'text'] as const) {
    if (message[field] !== undefined && (typeof message[field] !== 'string' || message[field] === '')) fail(`linkMessage.${field} must be a non-empty string`);
  }
  if (message.html !== undefined && message.html !== null && typeof message.html !== 'string') fail('linkMessage.html must be a string or null');
  for (const locale of otp.messages.locales) {
    const { t } = otp.messages.translator(locale);
    const text = message.text ?? t('signin.link.text');
    const html = message.html === undefined ? t('signin.link.html') : message.html;
    if (!text.includes('{link}') || (html !== null && !html.includes('{link}'))) {
      fail(`linkMessage.text and linkMessage.html must contain {link} (so must the catalog's signin.link.text and signin.link.html, here in "${locale}")`);
    }
  }
  return Object.freeze({ ...message });
}

function linkUrlOf(input: unknown, methods: readonly SignInMethod[]): ((token: string) => string) | null {
  const linkUrl = optionalFunction<(token: string) => string>('linkUrl', input);
  if (linkUrl === null) return null;
  if (!methods.includes('email')) fail("linkUrl is set but email is not among the methods: magic links are mailed through the email plugin");
  const sample = linkUrl('A'.repeat(43));
  if (!isHttpUrl(sample)) fail('linkUrl(token) must return an absolute http(s) URL');
  return linkUrl;
}

function positiveInteger(name: keyof typeof DEFAULT_SIGN_IN_OPTIONS, value: unknown, min: number): number {
  const chosen = value ?? DEFAULT_SIGN_IN_OPTIONS[name];
  if (typeof chosen !== 'number' || !Number.isSafeInteger(chosen) || chosen < min) fail(`${name} must be a whole number >= ${min} (default ${String(DEFAULT_SIGN_IN_OPTIONS[name])})`);
  return chosen;
}

const setTimeoutSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks the options at start-up and fills in the defaults.
 * @throws ConfigurationError naming the option and the fix.
 */
export function resolveSignInOptions(otp: Otp, input: unknown): ResolvedSignInOptions {
  if (input === null || typeof input !== 'object') fail('options must be an object');
  checkOptionKeys('createSignIn', input, OPTION_KEYS);
  const options = input as SignInOptions;
  const methods = methodsOf(otp, options.methods);
  const bindToBrowser = options.bindToBrowser ?? DEFAULT_SIGN_IN_OPTIONS.bindToBrowser;
  if (typeof bindToBrowser !== 'boolean') fail('bindToBrowser must be a boolean');
  const logger = resolveLogger('createSignIn', options.logger);
  const limits = resolveLimits(options.limits ?? {}, fail);
  warnOfProcessLimits(options.limits ?? {}, logger);
  return Object.freeze({
    methods,
    findUser: optionalFunction<NonNullable<SignInOptions['findUser']>>('findUser', options.findUser),
    register: optionalFunction<NonNullable<SignInOptions['register']>>('register', options.register),
    envelopeMs: positiveInteger('envelopeMs', options.envelopeMs, 0),
    sleep: optionalFunction<(ms: number) => Promise<void>>('sleep', options.sleep) ?? setTimeoutSleep,
    linkUrl: linkUrlOf(options.linkUrl, methods),
    linkSeconds: positiveInteger('linkSeconds', options.linkSeconds, 1),
    bindToBrowser,
    linkMessage: linkMessageOf(otp, options.linkMessage),
    limits,
    logger,
  });
}
