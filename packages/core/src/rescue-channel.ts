import type { Device } from './device.js';

/**
 * What a device offers account rescue (`@otpkit/express`'s `rescue: { mode: 'email' }`): an address
 * of the user's that the device confirmed itself, and a way to tell the user there that rescue was
 * used. An email device is one; any plugin's device may be, by having both methods.
 */
export interface RescueChannel {
  /**
   * Where a rescue code may go: an address the device confirmed at its own enrolment, or `null`
   * when there is none (an unconfirmed device, or one that follows the user's profile, which
   * anyone with the password may be able to change).
   */
  rescueAddress(): string | null;
  /**
   * Sends a plain notice (no token) to {@link RescueChannel.rescueAddress}: that rescue was used,
   * say. @throws DeliveryError when there is no such address or sending failed.
   */
  notice(subject: string, text: string): Promise<void>;
}

/** Whether `device` can carry a rescue now: it has both {@link RescueChannel} methods and an address it confirmed. */
export function isRescueChannel(device: Device<any, any>): device is Device<any, any> & RescueChannel {
  const candidate = device as Device<any, any> & Partial<RescueChannel>;
  return typeof candidate.rescueAddress === 'function' && typeof candidate.notice === 'function' && candidate.rescueAddress() !== null;
}
