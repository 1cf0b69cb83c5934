import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('webauthn/0001_create_device');
