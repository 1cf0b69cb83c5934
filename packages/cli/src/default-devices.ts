import type { DevicePlugin } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';

/**
 * The plugins a configuration from `DATABASE_URL` alone uses: those that need no options.
 * Email and SMS need a transport or a provider, so they take a configuration file.
 */
export function defaultDevices(): DevicePlugin<any, any>[] {
  return [staticTokens()];
}
