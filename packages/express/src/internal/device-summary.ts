import type { Device } from '@otpkit/core';

/** A device as otpkit's pages and JSON show it: never its secret. */
export interface DeviceSummary {
  /** The persistent id (`totp/3`). */
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly confirmed: boolean;
  /** Whether the device sends codes on request (email, SMS). */
  readonly interactive: boolean;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms, or `null`. */
  readonly lastUsedAt: number | null;
}

/** The public summary of a device. */
export function summarizeDevice(device: Device): DeviceSummary {
  return {
    id: device.persistentId,
    type: (device.constructor as unknown as { deviceType: string }).deviceType,
    name: device.name,
    confirmed: device.confirmed,
    interactive: device.isInteractive(),
    createdAt: device.createdAt,
    lastUsedAt: device.lastUsedAt,
  };
}
