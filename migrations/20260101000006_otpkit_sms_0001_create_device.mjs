import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('sms/0001_create_device');
