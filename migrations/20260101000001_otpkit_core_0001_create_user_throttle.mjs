import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('core/0001_create_user_throttle');
