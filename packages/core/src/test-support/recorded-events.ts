import { OTP_EVENT_TYPES, type OtpEvent, type OtpEventHooks } from '../events.js';

/** Hooks for every event type that keep each event in `events`, then call `observe` (awaited) when given. */
export function recordEvents(observe?: (event: OtpEvent) => void | Promise<void>): { events: OtpEvent[]; hooks: OtpEventHooks } {
  const events: OtpEvent[] = [];
  const record = async (event: OtpEvent) => {
    events.push(event);
    await observe?.(event);
  };
  return { events, hooks: Object.fromEntries(OTP_EVENT_TYPES.map((type) => [type, record])) as OtpEventHooks };
}
