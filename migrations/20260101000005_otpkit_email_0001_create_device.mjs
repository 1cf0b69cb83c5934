import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('email/0001_create_device');
