import { checkOptionKeys, ConfigurationError, type ThrottlePolicy } from '@otpkit/core';

/** The options of {@link staticTokens}: how backup codes look and how failures are throttled. */
export interface StaticTokensOptions {
  /**
   * How many codes a device gets when its codes are (re)generated.
   * @default 10
   */
  readonly count: number;
  /**
   * Characters in a generated code (6 to 64). The default gives 12 · log2(31) ≈ 59.4 bits a code,
   * so a guess against 10 codes needs ≈ 56 bits: unguessable online (≥ 50 bits), never throttled.
   * @default 12
   */
  readonly length: number;
  /**
   * The characters generated codes are drawn from: distinct lower-case ASCII letters and digits,
   * at least 16 of them. The default leaves out look-alikes (`0 o 1 l i`).
   * @default 'abcdefghjkmnpqrstuvwxyz23456789'
   */
  readonly alphabet: string;
  /**
   * Generated codes are shown in groups of this many characters joined by `-` (`abcd-efgh-jkmn`);
   * 0 shows them ungrouped. Users may type them with or without the dashes.
   * @default 4
   */
  readonly groupSize: number;
  /**
   * Throttling of failed verifications (django-otp's `OTP_STATIC_THROTTLE_FACTOR`).
   * @default { factor: 1 }
   */
  readonly throttle: Partial<ThrottlePolicy>;
}

/** The defaults of {@link StaticTokensOptions}. */
const DEFAULTS: StaticTokensOptions = Object.freeze({
  count: 10,
  length: 12,
  alphabet: 'abcdefghjkmnpqrstuvwxyz23456789',
  groupSize: 4,
  throttle: Object.freeze({ factor: 1 }),
});

function integerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`staticTokens: ${name} must be an integer from ${min} to ${max}`);
  }
}

/**
 * The bits one guess at a device's generated codes must find: the bits of a code, less log2 of
 * how many codes it is tested against (`count`).
 */
export function backupCodeEntropyBits(options: Pick<StaticTokensOptions, 'length' | 'alphabet' | 'count'>): number {
  return options.length * Math.log2(options.alphabet.length) - Math.log2(options.count);
}

/** Validates and fills in the options, once. @throws ConfigurationError */
export function resolveStaticTokensOptions(input: Partial<StaticTokensOptions>): StaticTokensOptions {
  if (input === null || typeof input !== 'object') throw new ConfigurationError('staticTokens: options must be an object');
  checkOptionKeys('staticTokens', input, Object.keys(DEFAULTS));
  const options = { ...DEFAULTS, ...input };
  integerIn('count', options.count, 1, 100);
  integerIn('length', options.length, 6, 64);
  integerIn('groupSize', options.groupSize, 0, 64);
  const { alphabet } = options;
  if (typeof alphabet !== 'string' || !/^[a-z0-9]{16,36}$/.test(alphabet) || new Set(alphabet).size !== alphabet.length) {
    throw new ConfigurationError('staticTokens: alphabet must be 16 to 36 distinct lower-case letters and digits');
  }
  if (options.throttle === null || typeof options.throttle !== 'object') {
    throw new ConfigurationError('staticTokens: throttle must be an object');
  }
  return Object.freeze({ ...options, throttle: Object.freeze({ ...options.throttle }) });
}
