import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('static/0001_create_device_and_token');
