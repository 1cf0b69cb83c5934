import type { Device } from '@otpkit/core';

/** A device as the command line shows it. */
export interface DeviceSummary {
  readonly persistentId: string;
  readonly type: string;
  readonly name: string;
  readonly confirmed: boolean;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601, or `null` when never used. */
  readonly lastUsedAt: string | null;
}

/** The fields of `device` worth showing, with times as ISO 8601. */
export function summarize(device: Device): DeviceSummary {
  return {
    persistentId: device.persistentId,
    type: device.deviceType,
    name: device.name,
    confirmed: device.confirmed,
    createdAt: new Date(device.createdAt).toISOString(),
    lastUsedAt: device.lastUsedAt === null ? null : new Date(device.lastUsedAt).toISOString(),
  };
}

/** One line per device, columns aligned. */
export function deviceLines(devices: readonly DeviceSummary[]): string[] {
  const rows = devices.map((d) => [d.persistentId, d.name, d.confirmed ? 'confirmed' : 'unconfirmed', `created ${d.createdAt}`, `last used ${d.lastUsedAt ?? 'never'}`]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]!.length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
