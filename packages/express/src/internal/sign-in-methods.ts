import type { Device, Otp } from '@otpkit/core';
import type { DeviceChoice } from '../views/form-parts.js';
import { maskDestination } from './masked-destination.js';

/**
 * What kind of second factor a device is, for its label and its place in the list: an
 * authenticator app, a security key or passkey, a text message, an email, a third-party plugin's
 * device, backup codes.
 */
export type MethodKind = 'app' | 'key' | 'text' | 'email' | 'other' | 'backup';

/** The kinds in the order a user is offered them: the strongest and handiest first, backup codes last. */
const KIND_ORDER: readonly MethodKind[] = ['app', 'key', 'text', 'email', 'other', 'backup'];

/** The kind of otpkit's own device types; a device answered in the browser is a key whatever its type. */
const KIND_OF_TYPE: Readonly<Record<string, MethodKind>> = { totp: 'app', hotp: 'app', sms: 'text', email: 'email', static: 'backup' };

/** One way the user can verify: one of their confirmed second-factor devices, as a page or the API shows it. */
export interface SignInMethod extends DeviceChoice {
  readonly kind: MethodKind;
  /** Where its codes go, masked (`•••23`, `a•••@example.com`), for a device that sends codes; else `null`. */
  readonly destination: string | null;
  /** The user's preferred device (`otp.userSettings`). */
  readonly preferred: boolean;
}

async function describe(device: Device, browser: boolean, preferred: string | null): Promise<SignInMethod> {
  const sendsCodes = device.isInteractive() && !browser;
  const destination = sendsCodes ? await device.destination() : null;
  return {
    id: device.persistentId,
    type: device.deviceType,
    name: device.name,
    interactive: device.isInteractive(),
    browser,
    kind: browser ? 'key' : (KIND_OF_TYPE[device.deviceType] ?? 'other'),
    destination: destination === null ? null : maskDestination(destination),
    preferred: device.persistentId === preferred,
  };
}

/**
 * The user's methods (confirmed second-factor devices; a `login`-only device is none), the default
 * first: the preferred device, then by kind (an authenticator app or a security key before a code
 * sent by text or email, backup codes last), devices of one kind as `devicesForUser` lists them. A
 * preference for a device that is no longer a method is ignored. `answeredInBrowser` says which
 * device types a plugin's browser script answers.
 */
export async function signInMethods(otp: Otp, userId: string, answeredInBrowser: (type: string) => boolean): Promise<SignInMethod[]> {
  const [devices, settings] = await Promise.all([otp.devicesForUser(userId, { confirmed: true, purpose: 'second-factor' }), otp.userSettings.get(userId)]);
  const methods = await Promise.all(devices.map((device) => describe(device, answeredInBrowser(device.deviceType), settings.preferredDevice)));
  const rank = (method: SignInMethod) => (method.preferred ? -1 : KIND_ORDER.indexOf(method.kind));
  return methods.sort((a, b) => rank(a) - rank(b));
}

/** The method named by `requested` (a persistent id from a query or a form) when it is one of `methods`, else the default (the first), or `undefined` for none. */
export function chosenMethod<M extends { readonly id: string }>(methods: readonly M[], requested: unknown): M | undefined {
  return methods.find((method) => method.id === requested) ?? methods[0];
}
