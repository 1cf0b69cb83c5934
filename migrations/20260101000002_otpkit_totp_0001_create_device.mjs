import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('totp/0001_create_device');
