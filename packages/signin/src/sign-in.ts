import { randomBytes } from 'node:crypto';
import {
  ConfigurationError,
  isPrintableText,
  normalizeToken,
  servesUse,
  storedUserId,
  ValidationError,
  type AnyDevicePlugin,
  type Clock,
  type Device,
  type ChallengeContext,
  type EventMeta,
  type LinkFinishOptions,
  type LinkFinishOutcome,
  type LinkStartMeta,
  type SignInStartMeta,
  type Otp,
  type SideChannelOptions,
  type SignInFinishOutcome,
  type SignInLike,
  type SignInMethod,
  type SignInRefusal,
  type SignInStartOutcome,
} from '@otpkit/core';
import { mailThroughPlugin } from '@otpkit/email';
import { textThroughPlugin } from '@otpkit/sms';
import { addressOf, parseAddress, type Recipient } from './address.js';
import { Deliveries } from './deliveries.js';
import { SignInDigests } from './digests.js';
import { Envelope } from './envelope.js';
import { LoginDevices } from './login-devices.js';
import { MagicLinks, type LinkGrant } from './magic-links.js';
import { signInMigrations } from './migrations.js';
import { resolveSignInOptions, type LinkMessage, type ResolvedSignInOptions, type SignInOptions } from './options.js';
import { PendingRegistrations } from './pending-registrations.js';
import { SignInRateLimits } from './rate-limits.js';

const INVALID_TOKEN = Object.freeze({ ok: false, reason: 'invalid_token' } as const);
const INVALID_LINK = Object.freeze({ ok: false, reason: 'invalid_link' } as const);
const CONFIRM_BROWSER = Object.freeze({ ok: false, reason: 'confirm_browser' } as const);
const MAX_BROWSER_LENGTH = 256;
const MAX_IP_LENGTH = 64;

/** The client address limits count by: `meta.ip` when it is printable text, else `null` (no client limits). */
function clientIp(meta: EventMeta | undefined): string | null {
  const ip: unknown = meta?.ip;
  return typeof ip === 'string' && ip !== '' && ip.length <= MAX_IP_LENGTH && isPrintableText(ip) ? ip : null;
}

/** A browser value: printable text of at most 256 characters; `null` for none given, or for anything else when `strict` is off. */
function browserOf(value: unknown, strict: boolean): string | null {
  if (typeof value === 'string' && value !== '' && value.length <= MAX_BROWSER_LENGTH && isPrintableText(value)) return value;
  if (value === undefined || !strict) return null;
  throw new ValidationError(`browser must be printable text of at most ${MAX_BROWSER_LENGTH} characters`, { field: 'browser' });
}

/**
 * Passwordless sign-in by a code sent by SMS or email, or by a magic link, for users whose
 * confirmed device of that method has the purpose `login` or `both`. Every answer about an
 * address is the same whether or not someone signs in with it. Make it with {@link createSignIn}.
 */
export class SignIn implements SignInLike {
  /** The clock of the otp instance (epoch ms). */
  readonly clock: Clock;
  /** The methods served: `sms` for `{ phone }`, `email` for `{ email }`. */
  readonly methods: readonly SignInMethod[];
  /** Whether magic links are served (the `linkUrl` option). */
  readonly links: boolean;
  readonly #otp: Otp;
  readonly #options: ResolvedSignInOptions;
  readonly #digests: SignInDigests;
  readonly #limits: SignInRateLimits;
  readonly #envelope: Envelope;
  readonly #devices: LoginDevices;
  readonly #pending: PendingRegistrations;
  readonly #links: MagicLinks;
  readonly #deliveries: Deliveries;

  /** Use {@link createSignIn}. @throws ConfigurationError for bad options. */
  constructor(otp: Otp, options: SignInOptions = {}) {
    this.#options = resolveSignInOptions(otp, options);
    this.#otp = otp;
    this.clock = otp.clock;
    this.methods = this.#options.methods;
    this.links = this.#options.linkUrl !== null;
    this.#digests = new SignInDigests(otp.secretBox);
    this.#limits = new SignInRateLimits(this.#options.limits, otp.clock);
    this.#envelope = new Envelope(otp.clock, this.#options.sleep, this.#options.envelopeMs);
    this.#devices = new LoginDevices(otp, this.#options.findUser);
    const store = { knex: otp.knex, clock: otp.clock, digests: this.#digests };
    this.#pending = new PendingRegistrations(store);
    this.#links = new MagicLinks(store);
    this.#deliveries = new Deliveries(this.#options.logger);
  }

  /** Creates or updates the sign-in tables (`signin/…` in the otp instance's migrations table). */
  async migrate(): Promise<void> {
    await this.#otp.migrateOwner('signin', signInMigrations);
  }

  /**
   * Sends a sign-in code to `{ phone }` or `{ email }` if someone signs in with it: the user of the
   * oldest confirmed device of that method with this address whose purpose is `login` or `both`
   * (or the user `findUser` names, through such a device whose destination is the address), by
   * `otp.generateChallenge`. With `register`, an unknown address is sent a registration code. An
   * address no one signs in with is sent nothing.
   *
   * The answer is the same either way, values included, and comes no earlier than `envelopeMs`
   * after the call. The delivery (SMTP, the SMS provider) runs **after** the answer, in the
   * background, because the envelope cannot hide it: a provider may take seconds, and whatever
   * it takes would show only for existing addresses. So the answer does not say whether a message
   * left: a delivery that fails is reported to the `logger` (without the address or the code), a
   * device still in its cooldown or past core's daily send limits is sent nothing, and the caller
   * hears of neither. Sent codes are reported as `challengeSent` by core. {@link SignIn.idle}
   * waits for the deliveries under way (before shutting down, say). The message is in
   * `meta.locale` (the asker's; default: the catalog's default locale).
   * @throws ValidationError when the address is not an object with one `phone` (E.164, separators
   *   tolerated) or `email` of a served method.
   */
  async start(address: unknown, meta?: SignInStartMeta): Promise<SignInStartOutcome> {
    const startedAt = this.clock();
    const recipient = parseAddress(address, this.methods);
    const limited = await this.#limits.send(this.#digests.address(recipient), clientIp(meta));
    if (limited !== null) return this.#envelope.answer(startedAt, limited);
    const { validitySeconds, tokenDigits } = this.#plugin(recipient.method).options as SideChannelOptions;
    const validUntil = startedAt + validitySeconds * 1000;
    const device = await this.#devices.find(recipient);
    if (device !== null) {
      const context: ChallengeContext = typeof meta?.locale === 'string' ? { locale: meta.locale } : {};
      this.#deliveries.run('a sign-in code', () => this.#otp.generateChallenge(device.userId, device.persistentId, context, meta));
    } else if (this.#options.register !== null) {
      this.#deliveries.run('a registration code', () => this.#sendRegistrationCode(recipient, tokenDigits, validUntil, meta?.locale));
    }
    return this.#envelope.answer(startedAt, { ok: true, validUntil });
  }

  /**
   * Verifies a sign-in code: `{ phone, code }` or `{ email, code }`. A known address's code is
   * verified by `otp.verifyLogin` (the device row locked, single use, the user's guessing budget);
   * a pending registration's code under its row lock, after which `register` makes the user and
   * their confirmed login device (purpose `login`) is created. Racing calls with one code: one
   * success. A wrong code, a code of any other shape, an unknown address, and a verification that
   * core's guessing budget holds back all answer `invalid_token`; too many wrong codes for the
   * address answer `throttled` (for any address, known or not), from one client `rate_limited`.
   * A refusal, like a start, comes no earlier than `envelopeMs` after the call: the unknown
   * address's shorter path does not show.
   * @throws ValidationError for an address as {@link SignIn.start}.
   */
  async finish(input: unknown, meta?: EventMeta): Promise<SignInFinishOutcome> {
    const startedAt = this.clock();
    const recipient = parseAddress(input, this.methods);
    const ip = clientIp(meta);
    const key = this.#digests.address(recipient);
    const code = normalizeToken((input as { code?: unknown }).code);
    if (code === null) return this.#envelope.answer(startedAt, INVALID_TOKEN);
    const spent = await this.#limits.attempt(key, ip);
    if (spent !== null) return this.#envelope.answer(startedAt, spent);
    const signedIn = await this.#verify(recipient, code, meta);
    if (signedIn === null) return this.#envelope.answer(startedAt, INVALID_TOKEN);
    await this.#limits.succeeded(key, ip);
    return signedIn;
  }

  /**
   * Mails a magic link: to `{ email }` if someone signs in with it (as {@link SignIn.start}: same
   * answer, same envelope, delivery after it, nothing sent to an unknown address), or to
   * `{ userId, deviceId }`, a signed-in user's own confirmed email device serving as a second
   * factor (purpose `second-factor` or `both`). The link carries 32 random bytes (base64url),
   * stored only as a keyed digest, works once, for `linkSeconds`, and is bound to `meta.browser`
   * unless `bindToBrowser` is `false` (with no `browser` given, to none: every opening asks). For
   * `{ userId, deviceId }` naming no such device of the user, the answer is the same and nothing is
   * sent. The mail is in `meta.locale` unless `linkMessage` gives its texts.
   * @throws ConfigurationError when magic links are off (no `linkUrl`); ValidationError for a bad recipient.
   */
  async startLink(recipient: unknown, meta?: LinkStartMeta): Promise<SignInStartOutcome> {
    if (!this.links) throw new ConfigurationError('startLink: magic links are off: give createSignIn a linkUrl option');
    const startedAt = this.clock();
    const browser = browserOf(meta?.browser, true);
    const validUntil = startedAt + this.#options.linkSeconds * 1000;
    const found = await this.#linkDevice(recipient);
    const limited = found.key === null ? null : await this.#limits.send(found.key, clientIp(meta));
    if (limited !== null) return this.#envelope.answer(startedAt, limited);
    const { device, purpose } = found;
    if (device !== null) this.#deliveries.run('a sign-in link', () => this.#sendLink(device, purpose, browser, validUntil, meta));
    return this.#envelope.answer(startedAt, { ok: true, validUntil });
  }

  /**
   * Opens a magic link. A valid link opened in the browser that asked for it (or anywhere, with
   * `bindToBrowser: false` or `confirm: true`) is spent by one DELETE, so racing clicks give one
   * success; opened in another browser without `confirm`, it answers `confirm_browser` and stays
   * valid. Unknown, spent and expired links answer `invalid_link`, as does any token of another shape.
   */
  async finishLink(token: unknown, options?: LinkFinishOptions): Promise<LinkFinishOutcome> {
    const browser = browserOf(options?.browser, false);
    const opened = await this.#links.open(token, browser, options?.confirm === true);
    if (opened === 'confirm') return CONFIRM_BROWSER;
    if (opened === 'invalid') return INVALID_LINK;
    const device = await this.#otp.deviceFromPersistentId(opened.deviceId);
    // The device may have been removed, or its purpose changed, since the link was sent.
    if (device === null || device.userId !== opened.userId || !device.confirmed || !servesUse(device.purpose, opened.purpose)) return INVALID_LINK;
    await this.#otp.recordEvent({ type: 'verified', userId: device.userId, deviceId: device.persistentId, method: 'token' }, options);
    return { ok: true, userId: device.userId, device, method: 'link', purpose: opened.purpose };
  }

  /** Resolves once every delivery started so far has ended (sent, or failed and reported). */
  async idle(): Promise<void> {
    await this.#deliveries.idle();
  }

  /** Deletes expired magic links and pending registrations. Run it from a scheduler. @returns how many rows were deleted. */
  async sweep(): Promise<number> {
    return (await this.#links.sweep()) + (await this.#pending.sweep());
  }

  /** The link message: the application's fields, else the catalog's in `locale`. */
  #linkTemplates(locale: unknown): LinkMessage {
    const { t } = this.#otp.messages.translator(locale);
    const { subject, text, html } = this.#options.linkMessage;
    return { subject: subject ?? t('signin.link.subject'), text: text ?? t('signin.link.text'), html: html === undefined ? t('signin.link.html') : html };
  }

  /** The plugin of a method. */
  #plugin(method: SignInMethod): AnyDevicePlugin {
    return this.#otp.plugins.find((plugin) => plugin.type === method)!;
  }

  /**
   * The sign-in a well-formed code makes, or `null` when it is refused: by the address's login
   * device (`otp.verifyLogin`), else by its pending registration.
   */
  async #verify(recipient: Recipient, code: string, meta: EventMeta | undefined): Promise<SignInFinishOutcome | null> {
    const device = await this.#devices.find(recipient);
    if (device !== null) {
      const outcome = await this.#otp.verifyLogin(device.userId, device.persistentId, code, meta);
      return outcome.ok ? { ok: true, userId: outcome.device.userId, device: outcome.device, method: recipient.method, registered: false } : null;
    }
    const register = this.#options.register;
    if (register === null || (await this.#pending.spend(recipient, code)) !== 'spent') return null;
    const userId = storedUserId(await register(addressOf(recipient), meta ?? {}));
    const input = recipient.method === 'sms' ? { number: recipient.address } : { email: recipient.address };
    const created = await this.#otp.createDevice(recipient.method, userId, { ...input, confirmed: true, purpose: 'login' }, meta);
    return { ok: true, userId, device: created, method: recipient.method, registered: true };
  }

  /**
   * Stores a registration code for an unknown address and sends it, within core's daily limit for
   * the destination (`sendLimits.perDestination`); withdrawn when it cannot be sent.
   */
  async #sendRegistrationCode(recipient: Recipient, digits: number, validUntil: number, locale: unknown): Promise<void> {
    if (!(await this.#otp.countDestinationSend(recipient.address)).ok) return;
    const code = await this.#pending.issue(recipient, digits, validUntil);
    const plugin = this.#plugin(recipient.method);
    const values = { token: code, validMinutes: Math.ceil((validUntil - this.clock()) / 60_000), deviceName: plugin.defaultName };
    const { t } = this.#otp.messages.translator(locale);
    try {
      if (recipient.method === 'sms') await textThroughPlugin(plugin, recipient.address, undefined, values, t);
      else await mailThroughPlugin(plugin, recipient.address, {}, values, t);
    } catch (error) {
      await this.#pending.withdraw(recipient);
      throw error;
    }
  }

  /**
   * The device a link goes to, its purpose, and the key its address limits count by: the login
   * device of `{ email }`, or the user's own confirmed second-factor email device of
   * `{ userId, deviceId }`. `device` is `null` when there is none (nothing is then sent).
   * @throws ValidationError for a recipient of another shape.
   */
  async #linkDevice(recipient: unknown): Promise<{ device: Device | null; purpose: LinkGrant['purpose']; key: string | null }> {
    if (recipient !== null && typeof recipient === 'object' && 'deviceId' in recipient) {
      const { userId, deviceId } = recipient as { userId?: unknown; deviceId?: unknown };
      const owner = storedUserId(userId);
      if (typeof deviceId !== 'string') throw new ValidationError('deviceId must be the persistent id of an email device, such as email/3', { field: 'deviceId' });
      const found = await this.#otp.deviceFromPersistentId(deviceId);
      const device =
        found !== null && found.userId === owner && found.confirmed && found instanceof this.#otp.model('email') && servesUse(found.purpose, 'second-factor') ? found : null;
      const address = device === null ? null : await device.destination();
      return { device: address === null ? null : device, purpose: 'second-factor', key: address === null ? null : this.#digests.address({ method: 'email', address }) };
    }
    const parsed = parseAddress(recipient, this.methods);
    if (parsed.method !== 'email') throw new ValidationError('magic links are sent by email: give { email }', { field: 'phone' });
    return { device: await this.#devices.find(parsed), purpose: 'login', key: this.#digests.address(parsed) };
  }

  /**
   * Mails a new link to `device` (core's daily send limit per user counted first), reported as
   * `challengeSent`; the link is withdrawn when it cannot be sent.
   */
  async #sendLink(device: Device, purpose: LinkGrant['purpose'], browser: string | null, validUntil: number, meta: LinkStartMeta | undefined): Promise<void> {
    const address = await device.destination();
    if (address === null || !(await this.#otp.countUserSend(device.userId)).ok) return;
    // Bound to the asking browser; with no browser given, to a value no browser has, so every opening asks.
    const boundTo = this.#options.bindToBrowser ? (browser ?? randomBytes(32).toString('base64url')) : null;
    const token = await this.#links.create({ userId: device.userId, deviceId: device.persistentId, purpose }, boundTo, validUntil);
    const values = { link: this.#options.linkUrl!(token), validMinutes: Math.ceil(this.#options.linkSeconds / 60) };
    try {
      await mailThroughPlugin(this.#plugin('email'), address, this.#linkTemplates(meta?.locale), values);
    } catch (error) {
      await this.#links.withdraw(token);
      throw error;
    }
    await this.#otp.recordEvent({ type: 'challengeSent', userId: device.userId, deviceId: device.persistentId, validUntil }, meta);
  }
}

/**
 * Creates passwordless sign-in over `otp`, which needs an `sms` or `email` plugin (or both); its
 * tables are created by {@link SignIn.migrate}.
 * @throws ConfigurationError for bad options (an unknown key names the nearest one).
 */
export function createSignIn(otp: Otp, options: SignInOptions = {}): SignIn {
  return new SignIn(otp, options);
}
