import type { Device, DevicePurpose } from '@otpkit/core';

/** A device as otpkit's pages and JSON show it: never its secret. */
export interface DeviceSummary {
  /** The persistent id (`totp/3`). */
  readonly id: string;
  /** The plugin type (`totp`). */
  readonly type: string;
  readonly name: string;
  readonly confirmed: boolean;
  /** What the device may be used for: a second factor, passwordless sign-in, or both. */
  readonly purpose: DevicePurpose;
  /** Whether the device is asked for a challenge first (an inbox or a phone sends a code; a security key answers one in the browser). */
  readonly interactive: boolean;
  /** What its plugin shows about it, never a secret (WebAuthn: the authenticator model, whether it is a passkey). */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms, or `null`. */
  readonly lastUsedAt: number | null;
}

/** The public summary of a device. */
export function summarizeDevice(device: Device): DeviceSummary {
  return {
    id: device.persistentId,
    type: device.deviceType,
    name: device.name,
    confirmed: device.confirmed,
    purpose: device.purpose,
    interactive: device.isInteractive(),
    details: device.details(),
    createdAt: device.createdAt,
    lastUsedAt: device.lastUsedAt,
  };
}
