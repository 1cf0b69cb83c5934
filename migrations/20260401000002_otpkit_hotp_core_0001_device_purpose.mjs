import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('hotp/core_0001_device_purpose');
