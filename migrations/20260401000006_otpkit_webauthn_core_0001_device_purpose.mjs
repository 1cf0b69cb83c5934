import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('webauthn/core_0001_device_purpose');
