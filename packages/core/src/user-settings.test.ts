import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';
import { recordEvents } from './test-support/recorded-events.js';

const ADMIN = { via: 'cli', actor: 'cli:root' };

describeOnBackends('user settings', (fixture) => {
  it('reads the defaults for a user without settings, in one row per user, byte-exact', async () => {
    const otp = fixture.otp();
    expect(await otp.userSettings.get('settings-none')).toEqual({ preferredDevice: null, policySince: null });
    const device = await otp.createDevice('sequence', 'settings-exact', { confirmed: true });
    await otp.userSettings.setPreferredDevice('settings-exact', device.persistentId);
    expect(await otp.userSettings.get('settings-exact')).toEqual({ preferredDevice: device.persistentId, policySince: null });
    expect(await otp.userSettings.get('Settings-Exact')).toEqual({ preferredDevice: null, policySince: null });
    expect(await otp.userSettings.get('settings-exact ')).toEqual({ preferredDevice: null, policySince: null });
    await expect(otp.userSettings.get('')).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'userId' });
  });

  it('sets and clears the preferred device, reporting each change once with the actor', async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks, audit: true });
    const first = await otp.createDevice('sequence', 'settings-prefer', { confirmed: true });
    const second = await otp.createDevice('sequence', 'settings-prefer', { confirmed: true, purpose: 'both' });
    events.length = 0;
    await otp.userSettings.setPreferredDevice('settings-prefer', first.persistentId, ADMIN);
    await otp.userSettings.setPreferredDevice('settings-prefer', first.persistentId, ADMIN);
    await otp.userSettings.setPreferredDevice('settings-prefer', second.persistentId);
    expect((await otp.userSettings.get('settings-prefer')).preferredDevice).toBe(second.persistentId);
    await otp.userSettings.setPreferredDevice('settings-prefer', null);
    await otp.userSettings.setPreferredDevice('settings-prefer', null);
    expect((await otp.userSettings.get('settings-prefer')).preferredDevice).toBeNull();
    expect(events.map((event) => `${event.type} ${event.deviceId ?? '-'} ${event.actor ?? '-'}`)).toEqual([
      `preferredDeviceChanged ${first.persistentId} cli:root`,
      `preferredDeviceChanged ${second.persistentId} -`,
      'preferredDeviceChanged - -',
    ]);
    expect((await otp.auditEvents('settings-prefer', { limit: 3 })).map((event) => [event.type, event.deviceId, event.actor])).toEqual([
      ['preferredDeviceChanged', null, null],
      ['preferredDeviceChanged', second.persistentId, null],
      ['preferredDeviceChanged', first.persistentId, 'cli:root'],
    ]);
  });

  it("refuses a device that is not one of the user's confirmed second-factor devices, changing nothing", async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks });
    const kept = await otp.createDevice('sequence', 'settings-refuse', { confirmed: true });
    await otp.userSettings.setPreferredDevice('settings-refuse', kept.persistentId);
    const pending = await otp.createDevice('sequence', 'settings-refuse', { confirmed: false });
    const loginOnly = await otp.createDevice('sequence', 'settings-refuse', { confirmed: true, purpose: 'login' });
    const others = await otp.createDevice('sequence', 'settings-someone-else', { confirmed: true });
    const casing = await otp.createDevice('sequence', 'Settings-Refuse', { confirmed: true });
    events.length = 0;
    for (const id of [pending.persistentId, loginOnly.persistentId, others.persistentId, casing.persistentId, 'sequence/999999', 'nope/1', '../etc', 42, undefined]) {
      await expect(otp.userSettings.setPreferredDevice('settings-refuse', id as never)).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'device' });
    }
    expect((await otp.userSettings.get('settings-refuse')).preferredDevice).toBe(kept.persistentId);
    expect(events).toEqual([]);
  });

  it('removing the preferred device clears the preference in the same transaction; removing another keeps it', async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks });
    const preferred = await otp.createDevice('sequence', 'settings-remove', { confirmed: true });
    const other = await otp.createDevice('sequence', 'settings-remove', { confirmed: true });
    await otp.userSettings.setPreferredDevice('settings-remove', preferred.persistentId);
    await otp.removeDevice('settings-remove', other.persistentId);
    expect((await otp.userSettings.get('settings-remove')).preferredDevice).toBe(preferred.persistentId);
    events.length = 0;
    await otp.removeDevice('settings-remove', preferred.persistentId);
    expect((await otp.userSettings.get('settings-remove')).preferredDevice).toBeNull();
    expect(events.map((event) => event.type)).toEqual(['deviceRemoved']);
  });

  it('startPolicy stores the first time and returns it ever after; racing first calls agree', async () => {
    let now = 1_000_000;
    const otp = fixture.otp({ clock: () => (now += 7) });
    const first = await otp.userSettings.startPolicy('settings-policy');
    expect(await otp.userSettings.startPolicy('settings-policy')).toBe(first);
    expect((await otp.userSettings.get('settings-policy')).policySince).toBe(first);

    const raced = await Promise.all(Array.from({ length: 8 }, () => otp.userSettings.startPolicy('settings-race')));
    expect(new Set(raced).size).toBe(1);
    expect((await otp.userSettings.get('settings-race')).policySince).toBe(raced[0]);

    const device = await otp.createDevice('sequence', 'settings-both', { confirmed: true });
    await otp.userSettings.setPreferredDevice('settings-both', device.persistentId);
    const since = await otp.userSettings.startPolicy('settings-both');
    expect(await otp.userSettings.get('settings-both')).toEqual({ preferredDevice: device.persistentId, policySince: since });
    await expect(otp.userSettings.startPolicy(null as never)).rejects.toMatchObject({ field: 'userId' });
  });
});
