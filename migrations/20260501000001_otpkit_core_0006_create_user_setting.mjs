import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('core/0006_create_user_setting');
