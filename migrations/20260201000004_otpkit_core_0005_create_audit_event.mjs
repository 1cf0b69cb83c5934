import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('core/0005_create_audit_event');
