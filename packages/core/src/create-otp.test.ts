import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { createOtp } from './otp.js';
import { defineDevicePlugin } from './plugin.js';
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

  it('refuses a readKnex that is not a knex instance, or whose client is not the primary\'s', () => {
    const quiet = { warn() {} };
    expect(() => createOtp({ knex: sqlite(), readKnex: {} as never, devices: [sequence()], logger: quiet })).toThrow(/readKnex must be a knex instance/);
    const pg = knexFactory({ client: 'pg', connection: 'postgres://replica.invalid/app' });
    expect(() => createOtp({ knex: sqlite(), readKnex: pg, devices: [sequence()], logger: quiet })).toThrow(/readKnex uses the client "pg" but knex uses "better-sqlite3"/);
    const primary = sqlite();
    expect(createOtp({ knex: primary, devices: [sequence()], logger: quiet }).readKnex).toBe(primary);
  });

  it('refuses a preparedStatements that is not a boolean', () => {
    const quiet = { warn() {} };
    expect(() => createOtp({ knex: sqlite(), preparedStatements: 'no' as never, devices: [sequence()], logger: quiet })).toThrow(/preparedStatements must be true or false/);
    expect(() => createOtp({ knex: sqlite(), preparedStatements: false, devices: [sequence()], logger: quiet })).not.toThrow();
  });

  it("refuses a plugin whose enrolFields are not field names, or name the common 'name', 'confirmed' and 'purpose'", () => {
    const { model, options } = sequence();
    for (const enrolFields of ['address', ['name'], ['confirmed'], ['purpose'], [42]]) {
      expect(() => defineDevicePlugin({ model, options, enrolFields } as never)).toThrow(/enrolFields must list input field names/);
    }
    expect(defineDevicePlugin({ model, options }).enrolFields).toEqual([]);
  });

  it('refuses a plugin whose purposes are not purposes, or whose default purpose it does not allow', () => {
    const { model, options } = sequence();
    for (const purposes of [[], ['login', 'sign-in'], 'login', [null]]) {
      expect(() => defineDevicePlugin({ model, options, purposes } as never)).toThrow(/purposes must list one or more of second-factor, login, both/);
    }
    expect(() => defineDevicePlugin({ model, options, purposes: ['login'] })).toThrow(/defaultPurpose must be one of the purposes/);
    expect(() => defineDevicePlugin({ model, options, defaultPurpose: 'everything' as never })).toThrow(/defaultPurpose must be one of the purposes/);
    const plain = defineDevicePlugin({ model, options });
    expect([plain.defaultPurpose, plain.purposes]).toEqual(['second-factor', ['second-factor', 'login', 'both']]);
  });

  it('refuses a malformed bootstrapCode declaration; without a plugin that declares one, issueBootstrapCode issues nothing', async () => {
    const { model, options } = sequence();
    for (const bootstrapCode of [true, { input: { add: true } }, { code: () => 'x' }, { input: null, code: () => 'x' }]) {
      expect(() => defineDevicePlugin({ model, options, bootstrapCode } as never)).toThrow(/bootstrapCode must be \{ input, code\(display\) \}/);
    }
    expect(await createOtp({ knex: sqlite(), devices: [sequence()], logger: { warn() {} } }).issueBootstrapCode('nobody')).toBeNull();
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

  it('refuses an uncalled plugin factory at start-up, naming the fix', () => {
    // @ts-expect-error: the factory itself is not a plugin
    expect(() => createOtp({ knex: sqlite(), devices: [sequence], logger: { warn() {} } })).toThrow(/devices\[0\] is the plugin factory sequence itself: call it, as in devices: \[sequence\(\)\]/);
    // @ts-expect-error: nor is an object that is not one
    expect(() => createOtp({ knex: sqlite(), devices: [{}], logger: { warn() {} } })).toThrow(/devices\[0\] is not a device plugin/);
  });

  it('refuses an unknown device type when creating a device (a JavaScript caller; TypeScript refuses it at compile time)', async () => {
    const otp = createOtp({ knex: sqlite(), devices: [sequence()], logger: { warn() {} } });
    // @ts-expect-error: 'nope' is not a registered type
    await expect(otp.createDevice('nope', 1)).rejects.toBeInstanceOf(ConfigurationError);
    await expect(otp.createDevice('sequence', '')).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT' });
    await expect(otp.createDevice('sequence', 1, { name: 'x'.repeat(65) })).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT' });
  });
});
