import type { OtpEventOf } from '@otpkit/core';
import { expect, it } from 'vitest';
import { registerCredential, requestOptions } from './test-support/enrol-credential.js';
import { SoftAuthenticator } from './test-support/soft-authenticator.js';
import { describeOnBackends } from './test-support/webauthn-fixture.js';

describeOnBackends('WebAuthn signature counters', (fixture) => {
  /** A user with a credential whose counter stood at 10 after its last use, and the clone events reported. */
  async function usedUpTo10() {
    const clones: OtpEventOf<'cloneSuspected'>[] = [];
    const otp = fixture.otp({}, { audit: true, events: { cloneSuspected: (event) => void clones.push(event) } });
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator();
    const device = await registerCredential(otp, user, authenticator);
    expect((await otp.verify(user, device.persistentId, authenticator.assert(await requestOptions(otp, device), { counter: 10 }))).ok).toBe(true);
    expect((await fixture.reload(otp, device)).signCount).toBe(10);
    return { otp, user, authenticator, device, clones };
  }

  it('counter decrease: refused as suspected_clone, reported as cloneSuspected, the counter unchanged', async () => {
    const { otp, user, authenticator, device, clones } = await usedUpTo10();
    const request = await requestOptions(otp, device);
    await fixture.refusedWithoutChange(otp, device, 'suspected_clone', () => otp.verify(user, device.persistentId, authenticator.assert(request, { counter: 9 })));
    expect(clones).toEqual([expect.objectContaining({ type: 'cloneSuspected', userId: user, deviceId: device.persistentId })]);
    const [audited] = await otp.auditEvents(user, { limit: 1 });
    expect(audited).toMatchObject({ type: 'cloneSuspected', deviceId: device.persistentId });
    // The genuine authenticator, counting on from 10, still verifies.
    expect(await otp.verify(user, device.persistentId, authenticator.assert(request, { counter: 11 }))).toMatchObject({ ok: true, device: { signCount: 11 } });
  });

  it('counter decrease through match: refused as suspected_clone and reported', async () => {
    const { otp, user, authenticator, device, clones } = await usedUpTo10();
    const request = await requestOptions(otp, device);
    await fixture.refusedWithoutChange(otp, device, 'suspected_clone', () => otp.match(user, authenticator.assert(request, { counter: 3 })));
    expect(clones).toEqual([expect.objectContaining({ type: 'cloneSuspected', userId: user, deviceId: null })]);
  });

  it('counter staying equal (non-zero): refused as suspected_clone', async () => {
    const { otp, user, authenticator, device, clones } = await usedUpTo10();
    const request = await requestOptions(otp, device);
    await fixture.refusedWithoutChange(otp, device, 'suspected_clone', () => otp.verify(user, device.persistentId, authenticator.assert(request, { counter: 10 })));
    expect(clones).toEqual([expect.objectContaining({ type: 'cloneSuspected', deviceId: device.persistentId })]);
  });

  it('counter back to 0 after counting: refused as suspected_clone', async () => {
    const { otp, user, authenticator, device } = await usedUpTo10();
    const request = await requestOptions(otp, device);
    await fixture.refusedWithoutChange(otp, device, 'suspected_clone', () => otp.verify(user, device.persistentId, authenticator.assert(request, { counter: 0 })));
  });

  it('an authenticator that keeps no counter (always 0) is accepted repeatedly', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator({ keepsCounter: false });
    const device = await registerCredential(otp, user, authenticator);
    expect(device.signCount).toBe(0);
    for (let use = 0; use < 3; use++) {
      const outcome = await otp.verify(user, device.persistentId, authenticator.assert(await requestOptions(otp, device)));
      expect(outcome).toMatchObject({ ok: true, device: { signCount: 0 } });
    }
    expect((await fixture.reload(otp, device)).signCount).toBe(0);
  });
});
