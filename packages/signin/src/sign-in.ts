import type {
  Clock,
  EventMeta,
  LinkFinishOptions,
  LinkFinishOutcome,
  LinkStartMeta,
  Otp,
  SignInFinishOutcome,
  SignInLike,
  SignInMethod,
  SignInStartOutcome,
} from '@otpkit/core';
import { signInMigrations } from './migrations.js';
import { resolveSignInOptions, type ResolvedSignInOptions, type SignInOptions } from './options.js';

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

  /** Use {@link createSignIn}. @throws ConfigurationError for bad options. */
  constructor(otp: Otp, options: SignInOptions = {}) {
    this.#options = resolveSignInOptions(otp, options);
    this.#otp = otp;
    this.clock = otp.clock;
    this.methods = this.#options.methods;
    this.links = this.#options.linkUrl !== null;
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
   * left: a delivery that fails, a device cooling down or a daily send limit of core is reported
   * to the `logger` (and to the otp instance's events) and never to the caller. {@link SignIn.idle}
   * waits for the deliveries under way (before shutting down, say).
   * @throws ValidationError when the address is not an object with one `phone` (E.164, separators
   *   tolerated) or `email` of a served method.
   */
  async start(address: unknown, meta?: EventMeta): Promise<SignInStartOutcome> {
    void address;
    void meta;
    throw new Error('not implemented');
  }

  /**
   * Verifies a sign-in code: `{ phone, code }` or `{ email, code }`. A known address's code is
   * verified by `otp.verifyLogin` (the device row locked, single use, the user's guessing budget);
   * a pending registration's code under its row lock, after which `register` makes the user and
   * their confirmed login device (purpose `login`) is created. Racing calls with one code: one
   * success. A wrong code, a code of any other shape, an unknown address, and a verification that
   * core's guessing budget holds back all answer `invalid_token`; too many wrong codes for the
   * address answer `throttled` (for any address, known or not), from one client `rate_limited`.
   * @throws ValidationError for an address as {@link SignIn.start}.
   */
  async finish(input: unknown, meta?: EventMeta): Promise<SignInFinishOutcome> {
    void input;
    void meta;
    throw new Error('not implemented');
  }

  /**
   * Mails a magic link: to `{ email }` if someone signs in with it (as {@link SignIn.start}: same
   * answer, same envelope, delivery after it, nothing sent to an unknown address), or to
   * `{ userId, deviceId }`, a signed-in user's own confirmed email device serving as a second
   * factor (purpose `second-factor` or `both`). The link carries 32 random bytes (base64url),
   * stored only as a keyed digest, works once, for `linkSeconds`, and is bound to `meta.browser`
   * unless `bindToBrowser` is `false`.
   * @throws ConfigurationError when magic links are off (no `linkUrl`); ValidationError for a bad recipient.
   */
  async startLink(recipient: unknown, meta?: LinkStartMeta): Promise<SignInStartOutcome> {
    void recipient;
    void meta;
    throw new Error('not implemented');
  }

  /**
   * Opens a magic link. A valid link opened in the browser that asked for it (or anywhere, with
   * `bindToBrowser: false` or `confirm: true`) is spent by one DELETE, so racing clicks give one
   * success; opened in another browser without `confirm`, it answers `confirm_browser` and stays
   * valid. Unknown, spent and expired links answer `invalid_link`, as does any token of another shape.
   */
  async finishLink(token: unknown, options?: LinkFinishOptions): Promise<LinkFinishOutcome> {
    void token;
    void options;
    throw new Error('not implemented');
  }

  /** Resolves once every delivery started so far has ended (sent, or failed and reported). */
  async idle(): Promise<void> {
    throw new Error('not implemented');
  }

  /** Deletes expired magic links and pending registrations. Run it from a scheduler. @returns how many rows were deleted. */
  async sweep(): Promise<number> {
    throw new Error('not implemented');
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
