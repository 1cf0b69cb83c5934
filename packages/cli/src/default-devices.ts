import type { DevicePlugin } from '@otpkit/core';
import { hotp } from '@otpkit/hotp';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';

/**
 * The plugins a configuration from `DATABASE_URL` alone uses: those that need no options (TOTP
 * and HOTP name `OTPKIT_ISSUER` as the issuer in Key-URIs when it is set). Email and SMS need a
 * transport or a provider, so they take a configuration file.
 */
export function defaultDevices(env: Readonly<Record<string, string | undefined>>): DevicePlugin<any, any>[] {
  const issuer = env.OTPKIT_ISSUER || null;
  return [totp({ issuer }), hotp({ issuer }), staticTokens()];
}
