import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('webauthn/0002_passkey_ceremonies');
