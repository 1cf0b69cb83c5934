import { otpkitStep } from './lib/otpkit-step.mjs';

export const { up, down } = otpkitStep('core/0007_audit_event_actor');
