import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { createOtp } from './otp.js';
import { sequence } from './test-support/sequence-device.js';

const sqlite = () => knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });

describe('createOtp', () => {
  it('refuses a device type registered twice', () => {
    expect(() => createOtp({ knex: sqlite(), devices: [sequence(), sequence()], logger: { warn() {} } })).toThrow(ConfigurationError);
  });

  it('refuses a missing knex, no devices, and bad throttle options', () => {
    expect(() => createOtp({ knex: undefined as never, devices: [sequence()] })).toThrow(ConfigurationError);
    expect(() => createOtp({ knex: sqlite(), devices: [] })).toThrow(ConfigurationError);
    expect(() => createOtp({ knex: sqlite(), devices: [sequence()], guessThrottle: { factor: -1 } })).toThrow(ConfigurationError);
    expect(() => createOtp({ knex: sqlite(), devices: [sequence()], matchThrottle: { factor: 1 } } as never)).toThrow(/matchThrottle was replaced by guessThrottle/);
    expect(() => sequence(Number.NaN)).toThrow(ConfigurationError);
  });

  it('refuses a knex client it has no verification path for', () => {
    const knex = knexFactory({ client: 'pg' });
    (knex.client as { driverName: string }).driverName = 'oracledb';
    expect(() => createOtp({ knex, devices: [sequence()] })).toThrow(/not supported/);
  });

  it('warns once at start-up when secrets would be stored in plaintext, and not when keys are set', () => {
    const warnings: string[] = [];
    createOtp({ knex: sqlite(), devices: [sequence()], logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plaintext/);
    createOtp({
      knex: sqlite(),
      devices: [sequence()],
      secretKeys: { '1': 'a'.repeat(64) },
      logger: { warn: (m) => warnings.push(m) },
    });
    expect(warnings).toHaveLength(1);
  });

  it('refuses an unknown device type when creating a device', async () => {
    const otp = createOtp({ knex: sqlite(), devices: [sequence()], logger: { warn() {} } });
    await expect(otp.createDevice('nope', 1)).rejects.toBeInstanceOf(ConfigurationError);
    await expect(otp.createDevice('sequence', '')).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT' });
    await expect(otp.createDevice('sequence', 1, { name: 'x'.repeat(65) })).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT' });
  });
});
