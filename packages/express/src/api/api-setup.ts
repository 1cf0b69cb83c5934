import type { Otp } from '@otpkit/core';

/** Options of `twoFactorApi`. */
export interface TwoFactorApiOptions {
  /** Seconds a verification counts as recent enough to remove a device. @default 300 */
  readonly recentVerification?: number;
  /** The largest JSON body accepted (bytes, or a size such as `'16kb'`). @default '16kb' */
  readonly bodyLimit?: number | string;
  /** The name of a device the rescue flow creates for the account's email address. @default 'Account email' */
  readonly rescueDeviceName?: string;
}

/** What every group of API routes gets. */
export interface ApiSetup {
  readonly otp: Otp;
  readonly options: Required<TwoFactorApiOptions>;
  /** Whether a device type is configured on `otp`. */
  has(type: string): boolean;
}
