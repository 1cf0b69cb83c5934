import { expect, it } from 'vitest';
import { describeOnBackends } from '../test-support/backend-fixture.js';
import type { SequenceDevice } from '../test-support/sequence-device.js';
import { signInWithCode } from './refusal-text.js';

describeOnBackends('the refusal-text example', (fixture) => {
  it('says what each refusal means, with the wait from the injected clock', async () => {
    const otp = fixture.otp({ throttleFactor: 30 });
    const device = await otp.createDevice('sequence', 'texts', { confirmed: true, name: 'Key' });
    expect(await signInWithCode(otp, 'texts', 'not a code!')).toBe('A code is letters and digits only.');
    expect(await signInWithCode(otp, 'texts', 'WRONG1')).toBe('That code is not right.');
    fixture.clock.advanceSeconds(10);
    expect(await signInWithCode(otp, 'texts', device.currentToken())).toBe('Too many wrong codes: try again in 20 s.');
    fixture.clock.advanceSeconds(20);
    expect(await signInWithCode(otp, 'texts', device.currentToken())).toBe('Signed in with Key.');
  });
});
