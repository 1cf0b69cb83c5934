import { defineDevicePlugin, deviceTablesMigration, type DevicePlugin } from '@otpkit/core';
import { backupCodeEntropyBits, resolveStaticTokensOptions, type StaticTokensOptions } from './options.js';
import { restoredCodes } from './restored-codes.js';
import { StaticDevice, type BackupCodesEnrolment } from './static-device.js';

/** The name of the device {@link addStaticToken} creates, and the default name of static devices. */
export const BACKUP_CODE_DEVICE_NAME = 'Backup Code';

/**
 * The static backup-code device plugin: one device per user, enrolled confirmed with its codes
 * (`otp.enroll('static', user)` shows them once; enrolling again replaces them), or given one code
 * at a time (`addStaticToken`). Backup codes are a second factor only (`purpose: 'second-factor'`). Codes an administrator chooses are as guessable as they are short:
 * the declared entropy assumes generated codes.
 * @throws ConfigurationError for bad options.
 */
export function staticTokens(options: Partial<StaticTokensOptions> = {}): DevicePlugin<typeof StaticDevice> {
  const resolved = resolveStaticTokensOptions(options);
  return defineDevicePlugin({
    model: StaticDevice,
    options: resolved,
    throttle: resolved.throttle,
    // With the defaults ≈ 56 bits: unguessable, so an outsider's guesses never lock the codes.
    tokenEntropyBits: backupCodeEntropyBits(resolved),
    migrations: [deviceTablesMigration(StaticDevice, '0001_create_device_and_token')],
    defaultName: BACKUP_CODE_DEVICE_NAME,
    onePerUser: true,
    enrolsConfirmed: true,
    // A list of codes on paper is a second factor: it never signs anyone in on its own.
    purposes: ['second-factor'],
    // otp.issueBootstrapCode: one random code added, for an administrator to hand over.
    bootstrapCode: { input: { add: true }, code: (display) => (display as BackupCodesEnrolment).codes[0]! },
    // otp.importDevices: unused codes from another system, digested on the way in.
    restore: restoredCodes,
  });
}
