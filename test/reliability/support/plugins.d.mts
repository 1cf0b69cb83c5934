import type { DevicePlugin } from '@otpkit/core';

export declare const PLUGIN_TYPES: readonly ('totp' | 'hotp' | 'static' | 'email' | 'sms' | 'webauthn')[];

export declare const RELYING_PARTY: { readonly rpName: string; readonly rpID: string; readonly origins: string };

export declare function buildPlugins(spec: {
  types?: readonly string[];
  throttleFactor: number;
  mailUrl?: string;
  smsProvider?: { send(to: string, text: string): Promise<void> };
}): DevicePlugin<any, any>[];
