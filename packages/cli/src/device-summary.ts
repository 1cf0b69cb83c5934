import type { Device, DevicePurpose } from '@otpkit/core';
import { printable, words } from './terminal-text.js';

/** A device as the command line shows it. */
export interface DeviceSummary {
  readonly persistentId: string;
  readonly type: string;
  readonly name: string;
  readonly confirmed: boolean;
  /** What the device may be used for: a second factor, passwordless sign-in, or both. */
  readonly purpose: DevicePurpose;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601, or `null` when never used. */
  readonly lastUsedAt: string | null;
  /** What the device's plugin shows about it (`Device.details()`): an authenticator model, whether it is a passkey. */
  readonly details: ReturnType<Device['details']>;
}

/** The fields of `device` worth showing, with times as ISO 8601. */
export function summarize(device: Device): DeviceSummary {
  return {
    persistentId: device.persistentId,
    type: device.deviceType,
    name: device.name,
    confirmed: device.confirmed,
    purpose: device.purpose,
    createdAt: new Date(device.createdAt).toISOString(),
    lastUsedAt: device.lastUsedAt === null ? null : new Date(device.lastUsedAt).toISOString(),
    details: device.details(),
  };
}

/** A purpose as the listing's cell says it. */
const PURPOSE_TEXT: Readonly<Record<DevicePurpose, string>> = Object.freeze({
  'second-factor': 'second factor',
  login: 'login only',
  both: 'login and second factor',
});

/**
 * A device's details as one cell: `true` as the key's words (`backedUp` → `backed up`), a text or
 * number after them (`authenticator YubiKey 5 Series`), `false` and `null` left out.
 */
function detailsText(details: DeviceSummary['details']): string {
  return Object.entries(details)
    .flatMap(([key, value]) => (value === true ? [words(key)] : typeof value === 'string' || typeof value === 'number' ? [`${words(key)} ${value}`] : []))
    .map(printable)
    .join(', ');
}

/** One line per device, columns aligned: id, name, confirmation, purpose, times, its details last. */
export function deviceLines(devices: readonly DeviceSummary[]): string[] {
  const rows = devices.map((d) => [
    d.persistentId,
    printable(d.name),
    d.confirmed ? 'confirmed' : 'unconfirmed',
    PURPOSE_TEXT[d.purpose],
    `created ${d.createdAt}`,
    `last used ${d.lastUsedAt ?? 'never'}`,
    detailsText(d.details),
  ]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]!.length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
