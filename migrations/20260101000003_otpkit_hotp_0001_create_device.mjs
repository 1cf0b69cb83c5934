import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('hotp/0001_create_device');
