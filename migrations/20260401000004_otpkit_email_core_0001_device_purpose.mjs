import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('email/core_0001_device_purpose');
