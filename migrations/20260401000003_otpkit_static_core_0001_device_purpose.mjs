import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('static/core_0001_device_purpose');
