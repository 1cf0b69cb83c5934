import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('core/0008_create_device_import');
