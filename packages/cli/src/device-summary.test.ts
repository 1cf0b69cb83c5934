import { describe, expect, it } from 'vitest';
import { deviceLines, type DeviceSummary } from './device-summary.js';

const device = (fields: Partial<DeviceSummary>): DeviceSummary => ({
  persistentId: 'webauthn/1',
  type: 'webauthn',
  name: 'Passkey',
  confirmed: true,
  purpose: 'both',
  createdAt: '2026-11-22T04:10:00.000Z',
  lastUsedAt: null,
  details: {},
  ...fields,
});

describe('deviceLines', () => {
  it("ends each line with the device's details: flags that are set as words, values after their name, unset ones left out", () => {
    const lines = deviceLines([
      device({ details: { authenticator: 'YubiKey 5 Series', passkey: true, backedUp: false } }),
      device({ persistentId: 'webauthn/22', name: 'Phone', details: { authenticator: null, passkey: true, backedUp: true, signCount: 7 } }),
      device({ persistentId: 'totp/3', type: 'totp', name: 'Authenticator', purpose: 'second-factor', lastUsedAt: '2026-11-23T08:00:00.000Z' }),
      device({ persistentId: 'email/4', type: 'email', name: 'Sign-in inbox', purpose: 'login' }),
    ]);
    expect(lines).toEqual([
      'webauthn/1   Passkey        confirmed  login and second factor  created 2026-11-22T04:10:00.000Z  last used never                     authenticator YubiKey 5 Series, passkey',
      'webauthn/22  Phone          confirmed  login and second factor  created 2026-11-22T04:10:00.000Z  last used never                     passkey, backed up, sign count 7',
      'totp/3       Authenticator  confirmed  second factor            created 2026-11-22T04:10:00.000Z  last used 2026-11-23T08:00:00.000Z',
      'email/4      Sign-in inbox  confirmed  login only               created 2026-11-22T04:10:00.000Z  last used never',
    ]);
  });

  it('replaces control characters in names and details, so a stored value cannot send escape sequences to the terminal', () => {
    expect(deviceLines([device({ name: 'Key\u001b[2J', details: { authenticator: 'Evil\u0007\r' } })])).toEqual([
      'webauthn/1  Key\uFFFD[2J  confirmed  login and second factor  created 2026-11-22T04:10:00.000Z  last used never  authenticator Evil\uFFFD\uFFFD',
    ]);
  });
});
