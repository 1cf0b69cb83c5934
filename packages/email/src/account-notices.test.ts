import { ConfigurationError, createOtp, type Catalog, type Logger } from '@otpkit/core';
import { FakeClock, testBackends, wrongTokenFor, type TestDatabase } from '@otpkit/core/testing';
import { accountNotices, email, type AccountNoticesOptions, type EmailDevice } from '@otpkit/email';
import { staticTokens } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountNoticesExample } from './examples/account-notices.js';
import { readMail, type ReadableMail } from './test-support/read-mail.js';
import { startSmtpSink, type SmtpSink } from './test-support/smtp-sink.js';
import { createUsersTable } from './test-support/users-table.js';

const FROM = 'Acme security <security@acme.test>';
const DAY = 86_400_000;

for (const backend of testBackends()) {
  describe(`account notices on ${backend.name}`, () => {
    let database: TestDatabase;
    let sink: SmtpSink;
    const START = Date.UTC(2026, 4, 1, 9, 5);
    const clock = new FakeClock(START);
    let nextUser = 1;

    const otpWith = (options: { transport?: string; locales?: Record<string, Partial<Catalog>> } = {}) =>
      createOtp({
        knex: database.knex,
        devices: [email({ transport: options.transport ?? sink.url, from: FROM, context: { appName: 'Acme' } }), staticTokens(), totp()],
        clock: clock.now,
        logger: { warn: () => {} },
        ...(options.locales && { messages: { locales: options.locales } }),
      });
    type TestOtp = ReturnType<typeof otpWith>;
    /** An otp instance with notices on, and the lines they logged. */
    const noticed = (options: AccountNoticesOptions = {}, otpOptions: Parameters<typeof otpWith>[0] = {}) => {
      const otp = otpWith(otpOptions);
      const logged: string[] = [];
      const logger: Logger = { warn: (line) => void logged.push(line) };
      const locale = async (userId: string) => (await database.knex('users').where({ id: userId }).first())?.locale ?? null;
      const notices = accountNotices(otp, { locale, logger, ...options });
      return { otp, notices, logged };
    };
    /** A user in the users table with an address of their own and a locale. */
    const newUser = async (locale: 'en' | 'fr' = 'en') => {
      const username = `notice-user-${nextUser++}`;
      const address = `${username}@people.test`;
      await database.knex('users').insert({ username, email: address, locale });
      const { id } = await database.knex('users').where({ username }).first();
      return { userId: String(id), address };
    };
    /** The notices the user's address received since `before` messages, as read. */
    const received = (address: string, before = 0): ReadableMail[] => sink.messages.slice(before).filter((mail) => mail.to.includes(address)).map(readMail);
    /** Checks that a notice shows none of `secrets` (codes, keys, addresses), in its words or anywhere in the raw message. */
    const expectNoSecret = (address: string, secrets: readonly string[], before = 0) => {
      const raws = sink.messages.slice(before).filter((mail) => mail.to.includes(address));
      for (const mail of raws) {
        const { subject, text } = readMail(mail);
        for (const secret of secrets) {
          expect(mail.raw.toLowerCase()).not.toContain(secret.toLowerCase());
          expect(`${subject}\n${text}`.toLowerCase()).not.toContain(secret.toLowerCase());
        }
        expect(text).not.toContain(address);
      }
    };

    beforeAll(async () => {
      database = await backend.createDatabase();
      sink = await startSmtpSink();
      await createUsersTable(database.knex);
      const { otp, notices } = noticed();
      await otp.migrate();
      await notices.migrate();
      notices.stop();
    });
    beforeEach(() => clock.set(START));
    afterAll(async () => {
      await sink?.close();
      await database?.destroy();
    });

    it('mails a notice when a device is confirmed and when it is removed, saying what and when, with no key, code or address', async () => {
      const { otp, notices } = noticed();
      const { userId, address } = await newUser();
      const before = sink.messages.length;

      const app = (await otp.createDevice('totp', userId, { confirmed: true })) as TOTPDevice;
      const key = app.revealKey();
      const enrolled = await otp.enroll('email', userId, { email: 'second-inbox@elsewhere.test' });
      if (!enrolled.ok) throw new Error(enrolled.reason);
      const code = sink.lastTokenTo('second-inbox@elsewhere.test');
      expect(received(address, before)).toHaveLength(1); // an enrolment in progress is no notice
      expect((await otp.confirmDevice(userId, enrolled.device.persistentId, code)).ok).toBe(true);
      clock.advance(60_000);
      await otp.generateChallenge(userId, enrolled.device.persistentId);
      const later = sink.lastTokenTo('second-inbox@elsewhere.test');
      expect((await otp.verify(userId, enrolled.device.persistentId, later)).ok).toBe(true); // codes that never run out: no backupCodesLow
      clock.set(START);
      expect(await otp.removeDevice(userId, app.persistentId)).toBe(true);

      const mails = received(address, before);
      expect(mails).toEqual([
        {
          subject: 'A sign-in method was added to your account',
          text: 'A sign-in method was added to your account on May 1, 2026 at 09:05 AM UTC: authenticator app.\n\nIf this was not you, change your password and review the sign-in methods of your account.',
        },
        { subject: 'A sign-in method was added to your account', text: expect.stringContaining('on May 1, 2026 at 09:05 AM UTC: codes by email.') },
        { subject: 'A sign-in method was removed from your account', text: expect.stringContaining('A sign-in method was removed from your account on May 1, 2026 at 09:05 AM UTC: authenticator app.') },
      ]);
      const mail = sink.messages.slice(before).find((message) => message.to.includes(address))!;
      expect(mail.from).toBe('security@acme.test');
      expectNoSecret(address, [key, code, later, 'second-inbox', (enrolled.device as EmailDevice).email!], before);
      notices.stop();
    });

    it('mails in the user’s locale: French notices for a French-speaking user', async () => {
      const { otp, notices } = noticed({ timeZone: 'Europe/Paris' });
      const { userId, address } = await newUser('fr');
      const before = sink.messages.length;
      const enrolled = await otp.enroll('static', userId, { count: 3 });
      if (!enrolled.ok) throw new Error(enrolled.reason);
      const codes = enrolled.display.codes as string[];
      await otp.enroll('static', userId, { count: 3 });
      await otp.removeDevice(userId, enrolled.device.persistentId);

      expect(received(address, before)).toEqual([
        {
          subject: 'Une méthode de connexion a été ajoutée à votre compte',
          text: 'Une méthode de connexion a été ajoutée à votre compte le 1 mai 2026 à 11:05 UTC+2 : codes de secours.\n\nSi ce n’était pas vous, changez votre mot de passe et vérifiez les méthodes de connexion de votre compte.',
        },
        {
          subject: 'De nouveaux codes de secours ont été créés pour votre compte',
          text: expect.stringContaining('De nouveaux codes de secours ont été créés pour votre compte le 1 mai 2026 à 11:05 UTC+2 ; les précédents ne fonctionnent plus.'),
        },
        { subject: 'Une méthode de connexion a été retirée de votre compte', text: expect.stringContaining('le 1 mai 2026 à 11:05 UTC+2 : codes de secours.') },
      ]);
      expectNoSecret(address, codes, before);
      notices.stop();
    });

    it('warns when a backup code leaves 2 or fewer, with the count, in English and in French', async () => {
      const { otp, notices } = noticed();
      const english = await newUser('en');
      const french = await newUser('fr');
      const before = sink.messages.length;
      const used: string[] = [];
      for (const { userId } of [english, french]) {
        const enrolled = await otp.enroll('static', userId, { count: 4 });
        if (!enrolled.ok) throw new Error(enrolled.reason);
        for (const code of enrolled.display.codes as string[]) {
          expect((await otp.verify(userId, enrolled.device.persistentId, code)).ok).toBe(true);
          used.push(code);
        }
      }
      const low = (mails: ReadableMail[]) => mails.slice(1).map(({ subject, text }) => `${subject} | ${text.split('\n')[0]}`);
      expect(low(received(english.address, before))).toEqual([
        'You are running out of backup codes | A backup code was used to sign in to your account on May 1, 2026 at 09:05 AM UTC. You have 2 backup codes left: generate new ones before you run out.',
        'You are running out of backup codes | A backup code was used to sign in to your account on May 1, 2026 at 09:05 AM UTC. You have 1 backup code left: generate new ones before you run out.',
        'You are running out of backup codes | A backup code was used to sign in to your account on May 1, 2026 at 09:05 AM UTC. You have 0 backup codes left: generate new ones before you run out.',
      ]);
      expect(low(received(french.address, before))).toEqual([
        'Il vous reste peu de codes de secours | Un code de secours a servi à vous connecter à votre compte le 1 mai 2026 à 09:05 UTC. Il vous reste 2 codes de secours : créez-en de nouveaux avant d’en manquer.',
        'Il vous reste peu de codes de secours | Un code de secours a servi à vous connecter à votre compte le 1 mai 2026 à 09:05 UTC. Il vous reste 1 code de secours : créez-en de nouveaux avant d’en manquer.',
        'Il vous reste peu de codes de secours | Un code de secours a servi à vous connecter à votre compte le 1 mai 2026 à 09:05 UTC. Il vous reste 0 code de secours : créez-en de nouveaux avant d’en manquer.',
      ]);
      expectNoSecret(english.address, used, before);
      expectNoSecret(french.address, used, before);
      notices.stop();
    });

    it('mails once when the account is throttled, however many attempts are refused that day', async () => {
      const { otp, notices } = noticed();
      const { userId, address } = await newUser();
      const device = await otp.createDevice('email', userId, { confirmed: true, email: 'codes@elsewhere.test' });
      const before = sink.messages.length;
      await otp.generateChallenge(userId, device.persistentId);
      const code = sink.lastTokenTo('codes@elsewhere.test');
      const wrong = wrongTokenFor(code);
      expect(await otp.verify(userId, device.persistentId, wrong)).toMatchObject({ reason: 'invalid_token' });
      expect(await otp.verify(userId, device.persistentId, wrong)).toMatchObject({ reason: 'throttled' });
      expect(await otp.verify(userId, device.persistentId, code)).toMatchObject({ reason: 'throttled' });

      expect(received(address, before)).toEqual([
        {
          subject: 'Sign-in attempts on your account were paused',
          text: 'Too many wrong codes were entered for your account, so sign-in attempts were paused on May 1, 2026 at 09:05 AM UTC.\n\nIf this was not you, someone may know your password: change it.',
        },
      ]);
      expectNoSecret(address, [code, wrong, 'codes@elsewhere.test'], before);
      clock.advance(DAY);
      await otp.verify(userId, device.persistentId, wrong);
      await otp.verify(userId, device.persistentId, wrong);
      expect(received(address, before).map((mail) => mail.subject)).toEqual(['Sign-in attempts on your account were paused', 'Sign-in attempts on your account were paused']);
      notices.stop();
    });

    it('mails when account rescue is used, by a code or by asking the administrators', async () => {
      const { otp, notices } = noticed();
      const { userId, address } = await newUser('fr');
      const device = await otp.createDevice('email', userId, { confirmed: true, email: 'rescue@elsewhere.test' });
      const before = sink.messages.length;
      await otp.recordEvent({ type: 'rescueUsed', userId, deviceId: device.persistentId, rescueMode: 'email' });
      await otp.recordEvent({ type: 'rescueUsed', userId, deviceId: null, rescueMode: 'help' });
      expect(received(address, before).map(({ subject, text }) => `${subject} | ${text.split('\n')[0]}`)).toEqual([
        'La récupération de compte a été utilisée pour votre compte | Quelqu’un s’est connecté à votre compte le 1 mai 2026 à 09:05 UTC avec un code envoyé à votre adresse de récupération, sans méthode de connexion.',
        'La récupération de compte a été utilisée pour votre compte | Quelqu’un a demandé l’aide des administrateurs pour se connecter à votre compte le 1 mai 2026 à 09:05 UTC.',
      ]);
      expectNoSecret(address, ['rescue@elsewhere.test'], before);
      notices.stop();
    });

    it("tells the user what an administrator did (any event with an actor), never the administrator's name", async () => {
      const { otp, notices } = noticed();
      const { userId, address } = await newUser();
      const device = await otp.createDevice('totp', userId, { confirmed: true }, { via: 'admin', actor: 'admin:root' });
      const before = sink.messages.length;
      await otp.removeDevice(userId, device.persistentId, { via: 'admin', actor: 'admin:root' });
      await otp.resetThrottle(userId, { via: 'cli', actor: 'cli:root' });
      await otp.removeDevice(userId, device.persistentId); // the user, not an administrator: nothing was removed, no notice
      const bootstrap = await otp.issueBootstrapCode(userId, { via: 'admin', actor: 'admin:root' });
      await otp.recordEvent({ type: 'tokenSessionsRevoked', userId, deviceId: null, count: 2 }, { via: 'admin', actor: 'admin:root' });
      const mails = received(address, before);
      expect(mails.map(({ subject, text }) => `${subject} | ${text}`)).toEqual([
        'An administrator changed your account | An administrator made a change to your account on May 1, 2026 at 09:05 AM UTC: a sign-in method was removed (authenticator app).\n\nIf you did not expect this, contact your administrator.',
        'An administrator changed your account | An administrator made a change to your account on May 1, 2026 at 09:05 AM UTC: paused sign-in attempts were allowed again.\n\nIf you did not expect this, contact your administrator.',
        'An administrator changed your account | An administrator made a change to your account on May 1, 2026 at 09:05 AM UTC: a sign-in method was added (backup codes).\n\nIf you did not expect this, contact your administrator.',
        'An administrator changed your account | An administrator made a change to your account on May 1, 2026 at 09:05 AM UTC: a one-time backup code was issued.\n\nIf you did not expect this, contact your administrator.',
        'An administrator changed your account | An administrator made a change to your account on May 1, 2026 at 09:05 AM UTC: signed-in apps were signed out.\n\nIf you did not expect this, contact your administrator.',
      ]);
      expect(bootstrap).toEqual(expect.any(String));
      expectNoSecret(address, ['admin:root', 'cli:root', bootstrap!, bootstrap!.replaceAll('-', '')], before);
      notices.stop();
    });

    it('without adminAction, an administrator’s change gets its own notice; events chooses the notices', async () => {
      const { otp, notices } = noticed({ events: ['deviceRemoved'] });
      const { userId, address } = await newUser();
      const before = sink.messages.length;
      const device = await otp.createDevice('totp', userId, { confirmed: true });
      await otp.resetThrottle(userId, { actor: 'admin:root' });
      await otp.removeDevice(userId, device.persistentId, { actor: 'admin:root' });
      expect(received(address, before).map((mail) => mail.subject)).toEqual(['A sign-in method was removed from your account']);
      notices.stop();
    });

    it('mails nothing for devices imported from another system, by the user or an administrator: the factors moved, none is new', async () => {
      const { otp, notices } = noticed();
      const { userId, address } = await newUser();
      const before = sink.messages.length;
      const state = { key: randomBytes(20).toString('hex') };
      const results = await otp.importDevices(userId, [{ type: 'totp', source: `notices:${userId}:1`, confirmed: true, state }], {}, { via: 'cli', actor: 'cli:root' });
      await otp.importDevices(userId, [{ type: 'totp', source: `notices:${userId}:2`, confirmed: true, state }]);
      expect(results).toEqual([expect.objectContaining({ status: 'imported' })]);
      expect(received(address, before)).toEqual([]);
      notices.stop();
    });

    it('is off by default: without accountNotices, and after stop(), a change mails nothing', async () => {
      const otp = otpWith();
      const { userId, address } = await newUser();
      const before = sink.messages.length;
      const device = await otp.createDevice('totp', userId, { confirmed: true });
      await otp.removeDevice(userId, device.persistentId);

      const { otp: stopped, notices } = noticed();
      notices.stop();
      await stopped.createDevice('totp', userId, { confirmed: true });
      expect(received(address, before)).toEqual([]);
    });

    it('mails at most perDay notices a user in 24 hours, counted in the database across instances, and logs the ones held back', async () => {
      const first = noticed({ perDay: 3 });
      const second = noticed({ perDay: 3 });
      const { userId, address } = await newUser();
      const other = await newUser();
      const before = sink.messages.length;
      for (const { otp } of [first, second, first, second]) await otp.createDevice('totp', userId, { confirmed: true });
      await first.otp.createDevice('totp', other.userId, { confirmed: true });
      expect(received(address, before)).toHaveLength(3);
      expect(received(other.address, before)).toHaveLength(1);
      expect(second.logged).toEqual([`account notices: user ${userId} had 3 notices in 24 hours; a deviceAdded notice was not sent`]);

      clock.advance(DAY - 1);
      await first.otp.createDevice('totp', userId, { confirmed: true });
      expect(received(address, before)).toHaveLength(3);
      clock.advance(1);
      await first.otp.createDevice('totp', userId, { confirmed: true });
      expect(received(address, before)).toHaveLength(4);
      first.notices.stop();
      second.notices.stop();
    });

    it('racing notices cannot pass the cap', async () => {
      const { otp, notices } = noticed({ perDay: 2 });
      const { userId, address } = await newUser();
      const before = sink.messages.length;
      await Promise.all(Array.from({ length: 6 }, () => otp.createDevice('totp', userId, { confirmed: true })));
      expect(received(address, before)).toHaveLength(2);
      notices.stop();
    });

    it('a failing transport never fails the change: the failure is logged without the address', async () => {
      const { otp, notices, logged } = noticed({}, { transport: 'smtp://127.0.0.1:1' });
      const { userId, address } = await newUser();
      const device = await otp.createDevice('totp', userId, { confirmed: true });
      expect(await otp.removeDevice(userId, device.persistentId)).toBe(true);
      expect(await otp.devicesForUser(userId)).toEqual([]);
      expect(logged).toHaveLength(2);
      expect(logged[0]).toMatch(new RegExp(`^account notices: a deviceAdded notice to user ${userId} was not sent \\(ERR_OTP_DELIVERY E[A-Z]+\\)$`));
      for (const line of logged) expect(line).not.toContain(address);
      notices.stop();
    });

    it('reads the address from `to` and the words from the catalog the application reworded, with the email plugin’s context', async () => {
      const { otp, notices, logged } = noticed(
        { to: (userId) => (userId === 'ann' ? 'ann@custom.test' : userId === 'bob' ? 'not an address' : null), locale: () => 'en' },
        { locales: { en: { 'notices.deviceAdded.subject': '{appName}: new sign-in method', 'notices.method.totp': 'Acme Authenticator' } } },
      );
      const before = sink.messages.length;
      await otp.createDevice('totp', 'ann', { confirmed: true });
      await otp.createDevice('totp', 'bob', { confirmed: true });
      await otp.createDevice('totp', 'cy', { confirmed: true });
      expect(sink.messages.slice(before).map((mail) => mail.to)).toEqual([['ann@custom.test']]);
      expect(readMail(sink.lastTo('ann@custom.test'))).toMatchObject({ subject: 'Acme: new sign-in method', text: expect.stringContaining(': Acme Authenticator.') });
      expect(logged).toEqual(['account notices: user bob has no usable address (not one email address); no notice was sent']);
      notices.stop();
    });

    it('runs the documented example: a reworded subject, then an administrator\'s removal', async () => {
      process.env.OTP_KEY_1 = randomBytes(32).toString('base64');
      const { userId, address } = await newUser();
      const before = sink.messages.length;
      await accountNoticesExample(database.knex, sink.url, userId);
      expect(received(address, before)).toEqual([
        { subject: 'Acme: a sign-in method was added', text: expect.stringMatching(/^A sign-in method was added to your account on \w+ \d+, \d{4} at \d\d:\d\d [AP]M GMT\+[12]: authenticator app\.\n/) },
        { subject: 'An administrator changed your account', text: expect.stringContaining(': a sign-in method was removed (authenticator app).') },
      ]);
      expectNoSecret(address, ['admin:ann'], before);
    });

    it('refuses a bad configuration at start-up, naming the fix', () => {
      const otp = otpWith();
      const noMail = createOtp({ knex: database.knex, devices: [totp()], logger: { warn: () => {} } });
      expect(() => accountNotices(noMail)).toThrow(/accountNotices: no "email" plugin is configured: add email\(\{ transport, from \}\)/);
      expect(() => accountNotices(otp, { plugin: 'totp' })).toThrow(/accountNotices: "totp" is not an email plugin/);
      expect(() => accountNotices(otp, { perday: 3 } as never)).toThrow(/accountNotices: unknown option "perday" \(did you mean "perDay"\?\)/);
      expect(() => accountNotices(otp, { perDay: 0 })).toThrow(/perDay must be an integer >= 1/);
      expect(() => accountNotices(otp, { events: ['deviceLost'] as never })).toThrow(/events: "deviceLost" is not a notice; the notices are deviceAdded, deviceRemoved/);
      expect(() => accountNotices(otp, { events: [] })).toThrow(/events must list one or more/);
      expect(() => accountNotices(otp, { timeZone: 'Mars/Olympus' })).toThrow(/timeZone must be an IANA time zone/);
      expect(() => accountNotices(otp, { to: 'a@b.test' as never })).toThrow(/to must be a function of the user id/);
      expect(() => accountNotices(otp, { logger: {} as never })).toThrow(ConfigurationError);
    });
  });
}
