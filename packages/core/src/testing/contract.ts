import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../device.js';
import { servesUse } from '../device-purpose.js';
import { guessCost, isGuessable } from '../guessing.js';
import { createOtp, type Otp, type OtpOptions } from '../otp.js';
import { DEFAULT_GUESS_THROTTLE, throttleDelayMs } from '../throttle.js';
import type { DevicePlugin } from '../plugin.js';
import { testBackends, type TestBackend, type TestDatabase } from './backends.js';
import { FakeClock } from './fake-clock.js';

/**
 * What the contract suite needs to know about a plugin.
 * @typeParam T the plugin's tokens: codes are strings; a WebAuthn assertion is a JSON object.
 */
export interface DeviceContractOptions<D extends Device<any, any> = Device, T = string> {
  /** Makes the plugin under test with the given throttle factor (the user's guessing budget gets the same). */
  plugin(throttleFactor: number): DevicePlugin<any, any>;
  /**
   * A token `device` accepts at the clock's current time (may send a challenge and read it back;
   * for an unconfirmed device, the token that confirms it).
   */
  validToken(device: D, otp: Otp, clock: FakeClock): Promise<T>;
  /** A well-formed token like `token` that never verifies. @default {@link wrongTokenFor} (codes) */
  wrongToken?(token: T): T;
  /** Creates a confirmed (or not) device for `userId`. @default otp.createDevice(type, userId, { confirmed }) */
  createDevice?(otp: Otp, userId: string, confirmed: boolean): Promise<Device<any, any>>;
  /** Extra `createOtp` options (secret keys, users). */
  otpOptions?: Partial<OtpOptions>;
  /** Prepares a fresh database before the plugin's tables are migrated (e.g. a users table). */
  prepareDatabase?(database: TestDatabase): Promise<void>;
  /** The backends to run on. @default testBackends() */
  backends?: TestBackend[];
  /** How many concurrent verifications race for one token. @default 50 */
  concurrency?: number;
}

/** The budget's policy at factor 1, with the default longest delay a unit waits. */
const BUDGET_AT_FACTOR_1 = { ...DEFAULT_GUESS_THROTTLE, factor: 1 };

/** How long (ms, factor 1) a budget with `spent` units makes a guess costing `cost` units wait. */
function budgetWait(spent: number, cost: number): number {
  let wait = 0;
  for (let unit = 0; unit < cost; unit += 1) wait += throttleDelayMs(spent + unit, BUDGET_AT_FACTOR_1);
  return wait;
}

/** A token that differs from `token` in its last character (ignoring case too), so it never verifies. */
export function wrongTokenFor(token: string): string {
  const last = token.at(-1)!;
  const replaced = /[0-9]/.test(last) ? String((Number(last) + 1) % 10) : /a/i.test(last) ? 'B' : 'A';
  return token.slice(0, -1) + replaced;
}

/**
 * The device contract: what every device plugin, otpkit's and third parties', must do. Registers a
 * `describe` block per backend: persistent ids, the confirmed filter, ownership, timestamps from the
 * injected clock, single use, verification by purpose (second factor or sign-in), the throttling timeline (the user's guessing budget and the device's
 * own throttle; none for a plugin declaring unguessable tokens), enrolment, `matchToken` leaving
 * device failure counts alone, and exactly one success among concurrent verifications of one token.
 */
export function deviceContractSuite<D extends Device<any, any>, T = string>(options: DeviceContractOptions<D, T>): void {
  const { type, tokenEntropyBits, purposes } = options.plugin(1);
  const wrongOf = options.wrongToken ?? ((token: T) => wrongTokenFor(token as string) as T);
  const guessable = isGuessable(tokenEntropyBits);
  for (const backend of options.backends ?? testBackends()) {
    describe(`device contract: ${type} on ${backend.name}`, () => {
      let database: TestDatabase;
      const clock = new FakeClock();
      const instances = new Map<number, Otp>();
      let nextUser = 1;

      const otpWith = (factor: number): Otp => {
        let otp = instances.get(factor);
        if (otp === undefined) {
          otp = createOtp({
            knex: database.knex,
            devices: [options.plugin(factor)],
            clock: clock.now,
            logger: { warn: () => {} },
            guessThrottle: { factor },
            ...options.otpOptions,
          });
          instances.set(factor, otp);
        }
        return otp;
      };
      const newUser = () => `user-${nextUser++}`;
      const create = (otp: Otp, userId: string, confirmed = true): Promise<D> =>
        (options.createDevice ? options.createDevice(otp, userId, confirmed) : otp.createDevice(type, userId, { confirmed })) as Promise<D>;
      const reload = async (otp: Otp, device: Device) => (await otp.deviceFromPersistentId(device.persistentId))!;

      beforeAll(async () => {
        database = await backend.createDatabase({ poolSize: 12 });
        await options.prepareDatabase?.(database);
        await otpWith(1).migrate();
      });
      afterAll(async () => {
        await database?.destroy();
      });

      it('creates a device named by a persistent id of its type, stamped by the injected clock', async () => {
        const otp = otpWith(1);
        const userId = newUser();
        const device = await create(otp, userId);
        expect(device.persistentId).toBe(`${type}/${device.id}`);
        expect(device.userId).toBe(userId);
        expect(device.createdAt).toBe(clock.now());
        expect(device.lastUsedAt).toBeNull();
        expect(device.throttlingFailureCount).toBe(0);
        const found = await otp.deviceFromPersistentId(device.persistentId);
        expect(found?.persistentId).toBe(device.persistentId);
        expect(found?.createdAt).toBe(device.createdAt);
      });

      it('returns null for garbage persistent ids', async () => {
        const otp = otpWith(1);
        for (const id of ['', `${type}/`, 'x/1', `${type}/abc`, `${type}/0`, `${type}/-1`, `${type}/1.5`, 'a'.repeat(10_000), null, 42]) {
          expect(await otp.deviceFromPersistentId(id)).toBeNull();
        }
      });

      it('lists devices with the confirmed filter, and userHasDevice counts confirmed ones only', async () => {
        const otp = otpWith(1);
        const userId = newUser();
        expect(await otp.userHasDevice(userId)).toBe(false);
        const pending = await create(otp, userId, false);
        expect(await otp.userHasDevice(userId)).toBe(false);
        const confirmed = await create(otp, userId, true);
        expect(await otp.userHasDevice(userId)).toBe(true);
        const ids = async (filter?: boolean) =>
          (await otp.devicesForUser(userId, filter === undefined ? {} : { confirmed: filter })).map((d) => d.persistentId);
        expect(await ids()).toEqual([pending.persistentId, confirmed.persistentId]);
        expect(await ids(true)).toEqual([confirmed.persistentId]);
        expect(await ids(false)).toEqual([pending.persistentId]);
      });

      it("verifies a device only for what its purpose serves (verify: a second factor; verifyLogin: a sign-in), and never changes the purpose", async () => {
        const otp = otpWith(1);
        const userId = newUser();
        const device = await create(otp, userId);
        expect(purposes).toContain(device.purpose);
        const token = await options.validToken(device, otp, clock);
        const signIn = await otp.verifyLogin(userId, device.persistentId, token);
        if (servesUse(device.purpose, 'login')) expect(signIn.ok).toBe(true);
        else expect(signIn).toEqual({ ok: false, reason: 'no_device' });
        if (servesUse(device.purpose, 'second-factor')) {
          const fresh = signIn.ok ? await options.validToken((await reload(otp, device)) as D, otp, clock) : token;
          expect((await otp.verify(userId, device.persistentId, fresh)).ok).toBe(true);
        }
        expect((await reload(otp, device)).purpose).toBe(device.purpose);
      });

      it('accepts a valid token once, stamps lastUsedAt, and refuses the same token again', async () => {
        const otp = otpWith(1);
        const userId = newUser();
        const device = await create(otp, userId);
        const token = await options.validToken(device, otp, clock);
        const verified = await otp.verifyToken(userId, device.persistentId, token);
        expect(verified?.persistentId).toBe(device.persistentId);
        expect((await reload(otp, device)).lastUsedAt).toBe(clock.now());
        expect(await otp.verifyToken(userId, device.persistentId, token)).toBeNull();
      });

      it("refuses another user's device and leaves it unchanged", async () => {
        const otp = otpWith(1);
        const owner = newUser();
        const device = await create(otp, owner);
        const token = await options.validToken(device, otp, clock);
        expect(await otp.verify(newUser(), device.persistentId, token)).toEqual({ ok: false, reason: 'no_device' });
        const after = await reload(otp, device);
        expect(after.throttlingFailureCount).toBe(0);
        expect(after.lastUsedAt).toBeNull();
        expect(await otp.verifyToken(owner, device.persistentId, token)).not.toBeNull();
      });

      if (guessable) {
        it('throttles: after 1 failure a valid token is refused for 1 s, after 2 failures for 2 s (more when a miss costs more units)', async () => {
          const otp = otpWith(1);
          const userId = newUser();
          const device = await create(otp, userId);
          const wrong = wrongOf(await options.validToken(device, otp, clock));
          // A miss costs `units` of the user's budget (1 for a 6-digit code tested once to three
          // times), and the next guess waits the delays of all its units.
          const units = guessCost(device.guessChance());
          const delay = (misses: number) => Math.max(throttleDelayMs(misses, { factor: 1 }), budgetWait(misses * units, units));

          const first = await otp.verify(userId, device.persistentId, wrong);
          const failedAt = clock.now();
          expect(first).toEqual({ ok: false, reason: 'invalid_token', failureCount: units, lockedUntil: failedAt + delay(1) });
          expect((await reload(otp, device)).verifyIsAllowed()).toEqual({
            allowed: false,
            reason: 'throttled',
            failureCount: 1,
            lockedUntil: failedAt + 1000,
          });
          clock.advance(delay(1) - 1);
          const refused = await otp.verify(userId, device.persistentId, await options.validToken(device, otp, clock));
          expect(refused).toMatchObject({ ok: false, reason: 'throttled', lockedUntil: failedAt + delay(1) });
          expect((await reload(otp, device)).throttlingFailureCount).toBe(1); // refused attempts are not counted
          clock.advance(1);
          expect((await reload(otp, device)).verifyIsAllowed()).toEqual({ allowed: true });

          const second = await otp.verify(userId, device.persistentId, wrong);
          const secondAt = clock.now();
          expect(second).toEqual({ ok: false, reason: 'invalid_token', failureCount: 2 * units, lockedUntil: secondAt + delay(2) });
          clock.advance(delay(2) - 1);
          expect(await otp.verifyToken(userId, device.persistentId, await options.validToken(device, otp, clock))).toBeNull();
          clock.advance(1);
          const token = await options.validToken(device, otp, clock);
          expect(await otp.verifyToken(userId, device.persistentId, token)).not.toBeNull();
          const reset = await reload(otp, device);
          expect(reset.throttlingFailureCount).toBe(0);
          expect(reset.throttlingFailureTimestamp).toBeNull();
          clock.advanceSeconds(60);
        });
      } else {
        it('never throttles nor charges a device whose tokens are unguessable', async () => {
          const otp = otpWith(1);
          const userId = newUser();
          const device = await create(otp, userId);
          const wrong = wrongOf(await options.validToken(device, otp, clock));
          for (let attempt = 0; attempt < 5; attempt += 1) {
            expect(await otp.verify(userId, device.persistentId, wrong)).toEqual({ ok: false, reason: 'invalid_token', failureCount: 0, lockedUntil: null });
          }
          expect((await reload(otp, device)).throttlingFailureCount).toBe(0);
          expect(await otp.verifyToken(userId, device.persistentId, await options.validToken(device, otp, clock))).not.toBeNull();
        });
      }

      it('only verifies an unconfirmed device through confirmDevice, and the confirming token is spent', async () => {
        const otp = otpWith(1);
        const userId = newUser();
        const device = await create(otp, userId, false);
        const token = await options.validToken(device, otp, clock);
        expect(await otp.verify(userId, device.persistentId, token)).toEqual({ ok: false, reason: 'no_device' });
        expect(await otp.matchToken(userId, token)).toBeNull();
        const confirmed = await otp.confirmDevice(userId, device.persistentId, token);
        expect(confirmed.ok).toBe(true);
        expect((await reload(otp, device)).confirmed).toBe(true);
        expect(await otp.verifyToken(userId, device.persistentId, token)).toBeNull();
        clock.advanceSeconds(60);
      });

      it("matchToken finds the device, and a miss leaves the devices' failure counts alone", async () => {
        const otp = otpWith(1);
        const userId = newUser();
        const first = await create(otp, userId);
        const second = await create(otp, userId);
        const token = await options.validToken(second, otp, clock);
        const miss = await otp.match(userId, wrongOf(token));
        // Charged once to the user, by the chance of every guessable device it was tested against.
        const units = guessable ? guessCost(first.guessChance() + second.guessChance()) : 0;
        expect(miss).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: units });
        expect((await reload(otp, first)).throttlingFailureCount).toBe(0);
        expect((await reload(otp, second)).throttlingFailureCount).toBe(0);
        clock.advance(guessable ? budgetWait(units, units) : 0);
        const matched = await otp.matchToken(userId, await options.validToken(second, otp, clock));
        expect(matched?.persistentId).toBe(second.persistentId);
        clock.advanceSeconds(60);
      });

      it('accepts exactly one of many concurrent verifications of one token', async () => {
        const otp = otpWith(0);
        const userId = newUser();
        const device = await create(otp, userId);
        const token = await options.validToken(device, otp, clock);
        const results = await Promise.all(
          Array.from({ length: options.concurrency ?? 50 }, () => otp.verifyToken(userId, device.persistentId, token)),
        );
        expect(results.filter((result) => result !== null)).toHaveLength(1);
        clock.advanceSeconds(60);
      });
    });
  }
}
