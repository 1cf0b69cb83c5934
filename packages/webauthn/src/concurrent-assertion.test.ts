import { expect, it } from 'vitest';
import { freshAssertion, registerCredential } from './test-support/enrol-credential.js';
import { SoftAuthenticator } from './test-support/soft-authenticator.js';
import { describeOnBackends } from './test-support/webauthn-fixture.js';

describeOnBackends('WebAuthn assertions submitted at once', (fixture) => {
  it('50 concurrent submissions of one assertion: exactly one success', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator();
    const device = await registerCredential(otp, user, authenticator);
    const assertion = await freshAssertion(otp, device, authenticator);
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? otp.verify(user, device.persistentId, assertion) : otp.match(user, assertion))));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.reason)).toEqual(Array(49).fill('invalid_token'));
    expect(await fixture.stateOf(otp, device)).toMatchObject({ signCount: 2, challenge: null });
  });
});
