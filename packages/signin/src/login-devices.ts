import { DEVICE_PURPOSES, servesUse, stored, type Device, type Otp, type SignInAddress, type UserId } from '@otpkit/core';
import { addressOf, type Recipient } from './address.js';

/** The device column that holds each method's address. */
const ADDRESS_COLUMN = Object.freeze({ sms: 'number', email: 'email' } as const);

/** The purposes a device signs in with. */
const LOGIN_PURPOSES = DEVICE_PURPOSES.filter((purpose) => servesUse(purpose, 'login'));

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
   * address column holds the address, byte for byte.
   */
  async find(recipient: Recipient): Promise<Device | null> {
    return this.#findUser === null ? this.#byColumn(recipient) : this.#byUser(recipient, this.#findUser);
  }

  async #byColumn({ method, address }: Recipient): Promise<Device | null> {
    const column = ADDRESS_COLUMN[method];
    const devices = (await stored(() =>
      this.#otp.model(method).query().where(column, address).where('confirmed', true).whereIn('purpose', [...LOGIN_PURPOSES]).orderBy('id'),
    )) as unknown as Device[];
    // Re-checked here: a match never rests on the database's collation alone.
    return devices.find((device) => (device as unknown as Record<string, unknown>)[column] === address && device.confirmed) ?? null;
  }

  async #byUser(recipient: Recipient, findUser: (address: SignInAddress) => UserId | null | Promise<UserId | null>): Promise<Device | null> {
    const userId = await findUser(addressOf(recipient));
    if (userId === null || userId === undefined) return null;
    const model = this.#otp.model(recipient.method);
    const devices = await this.#otp.devicesForUser(userId, { confirmed: true, purpose: 'login' });
    for (const device of devices) {
      if (device instanceof model && (await device.destination()) === recipient.address) return device;
    }
    return null;
  }
}
