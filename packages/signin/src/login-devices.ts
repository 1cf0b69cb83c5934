import { DEVICE_PURPOSES, servesUse, stored, type Device, type Otp, type SignInAddress, type UserId } from '@otpkit/core';
import { addressOf, identityOf, type Recipient } from './address.js';

/** The device column that holds each method's address. */
const ADDRESS_COLUMN = Object.freeze({ sms: 'number', email: 'email' } as const);

/** The purposes a device signs in with. */
const LOGIN_PURPOSES = DEVICE_PURPOSES.filter((purpose) => servesUse(purpose, 'login'));

/** Whether `address`, a device's, is the address of `recipient` (an email address in any case). */
function holds(recipient: Recipient, address: unknown): boolean {
  return typeof address === 'string' && identityOf({ method: recipient.method, address }) === identityOf(recipient);
}

/**
 * Finds who signs in with an address: the user and their confirmed device of the address's method
 * whose purpose is `login` or `both`.
 */
export class LoginDevices {
  readonly #otp: Otp;
  readonly #findUser: ((address: SignInAddress) => UserId | null | Promise<UserId | null>) | null;

  constructor(otp: Otp, findUser: ((address: SignInAddress) => UserId | null | Promise<UserId | null>) | null) {
    this.#otp = otp;
    this.#findUser = findUser;
  }

  /**
   * The login device of `recipient`, or `null`. With `findUser`, the user it names and their login
   * device of the method whose destination is the address; else the oldest login device whose own
   * address column holds the address (an email address in any case: {@link identityOf}).
   */
  async find(recipient: Recipient): Promise<Device | null> {
    return this.#findUser === null ? this.#byColumn(recipient) : this.#byUser(recipient, this.#findUser);
  }

  async #byColumn(recipient: Recipient): Promise<Device | null> {
    const { method } = recipient;
    const column = ADDRESS_COLUMN[method];
    const identity = identityOf(recipient);
    const query = this.#otp.model(method).query().where('confirmed', true).whereIn('purpose', [...LOGIN_PURPOSES]).orderBy('id');
    if (method === 'sms') query.where(column, identity);
    else query.whereRaw(`lower(${column}) = ?`, [identity]);
    const devices = (await stored(() => query)) as unknown as Device[];
    // Re-checked here: a match never rests on the database's collation alone.
    return devices.find((device) => holds(recipient, (device as unknown as Record<string, unknown>)[column]) && device.confirmed) ?? null;
  }



  async #byUser(recipient: Recipient, findUser: (address: SignInAddress) => UserId | null | Promise<UserId | null>): Promise<Device | null> {
    const userId = await findUser(addressOf(recipient));
    if (userId === null || userId === undefined) return null;
    const model = this.#otp.model(recipient.method);
    const devices = await this.#otp.devicesForUser(userId, { confirmed: true, purpose: 'login' });
    for (const device of devices) {
      if (device instanceof model && holds(recipient, await device.destination())) return device;
    }
    return null;
  }
}
