import { ConfigurationError, ValidationError, validateDeviceName, type Otp } from '@otpkit/core';
import { email, normalizeEmailAddress, type EmailDevice } from '@otpkit/email';
import { sms, TwilioProvider } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import nodemailer from 'nodemailer';
import { expect, it } from 'vitest';
import { describeOnBackends } from './support/backends.js';

const sent: { to: unknown; envelope: unknown }[] = [];
const transport = nodemailer.createTransport({
  name: 'hostile-input-sink',
  version: '1',
  send: (mail, done) => {
    sent.push({ to: mail.data.to, envelope: mail.message.getEnvelope() });
    done(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() });
  },
});
const devices = [totp(), staticTokens(), email({ transport, from: 'Acme <security@acme.example>' })];

const HOSTILE_NAMES = {
  NUL: 'Phone\u0000',
  'CR-LF': 'Phone\r\nBcc: attacker@evil.example',
  'a bare LF': 'Phone\nAdmin',
  TAB: 'Phone\tA',
  ESC: 'Phone \u001b[31mred',
  DEL: 'Phone\u007f',
  'a C1 control': 'Phone\u0085',
  'a line separator': 'Phone\u2028Admin',
  'a right-to-left override': 'Phone \u202egnp.exe',
  'a right-to-left isolate': 'Phone \u2067x\u2069',
  'an Arabic letter mark': 'Phone\u061c',
  'a left-to-right mark': '\u200ePhone',
  'a lone high surrogate': 'Phone \ud83d',
  'a lone low surrogate': 'Phone \ude00',
  'a zero-width space': 'Pho\u200bne',
  'a byte-order mark': '\ufeffPhone',
  'a soft hyphen': 'Ph\u00adone',
  'only spaces': '   ',
  '65 characters': 'x'.repeat(65),
};

const HOSTILE_ADDRESSES = [
  '"Support"<a@evil.example>',
  'Support <a@evil.example>',
  '<a@evil.example>',
  'a@evil.example,victim@example.com',
  'a@evil.example, victim@example.com',
  'a@evil.example;victim@example.com',
  'a@evil.example victim@example.com',
  'a@evil.example\r\nBcc: victim@example.com',
  '"a@b"@evil.example',
  '"a b"@evil.example',
  'a(comment)@evil.example',
  'a@[127.0.0.1]',
  'a@127.0.0.1',
  'a..b@evil.example',
  '.a@evil.example',
  'a@evil..example',
  'a@-evil.example',
  'a@evil_example.com',
  'a@evil.example.',
  `${'a'.repeat(65)}@evil.example`,
  `a@${'b'.repeat(64)}.example`,
  `a@${'b.'.repeat(126)}example`,
  'a@',
  '@evil.example',
  'a@evil\u202e.example',
  'nobody',
];

describeOnBackends('hostile input', { devices }, (fixture) => {
  let otp: Otp;
  const otpOf = () => (otp ??= fixture.otp({ devices }));

  it('a device name with NUL / CR-LF / bidi override / lone surrogate is refused', async () => {
    for (const [what, name] of Object.entries(HOSTILE_NAMES)) {
      const error = await otpOf().createDevice('totp', 'hostile-names', { name }).catch((caught: unknown) => caught);
      expect(error, what).toBeInstanceOf(ValidationError);
      expect(error, what).toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'name' });
    }
    expect(await otpOf().devicesForUser('hostile-names')).toEqual([]);
  });

  it('a printable name of any script, with emoji and joiners, is stored trimmed and NFC-normalised', async () => {
    const names = ['Téléphone de Zoë', '手机', 'هاتف', '👩‍💻 Laptop', `  ${'é'.repeat(64)}  `, 'Cafe\u0301'];
    for (const name of names) {
      const device = await otpOf().createDevice('totp', 'printable-names', { name });
      expect(device.name).toBe(name.trim().normalize('NFC'));
      expect((await otpOf().deviceFromPersistentId(device.persistentId))?.name).toBe(name.trim().normalize('NFC'));
    }
  });

  it('an email with a display name or two addresses is refused', async () => {
    for (const address of HOSTILE_ADDRESSES) {
      const error = await otpOf().createDevice('email', 'hostile-mail', { email: address }).catch((caught: unknown) => caught);
      expect(error, address).toBeInstanceOf(ValidationError);
      expect(error, address).toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'email' });
      expect(normalizeEmailAddress(address), address).toBeNull();
    }
    expect(await otpOf().devicesForUser('hostile-mail')).toEqual([]);
  });

  it('one address is stored as one addr-spec, an internationalised domain as A-labels', async () => {
    const cases = { "o'brien+otp@Example.COM": "o'brien+otp@example.com", 'zoë@bü.example': null, 'ana@bü.example': 'ana@xn--b-eha.example' };
    for (const [input, stored] of Object.entries(cases)) {
      if (stored === null) {
        await expect(otpOf().createDevice('email', 'one-address', { email: input })).rejects.toBeInstanceOf(ValidationError);
        continue;
      }
      const device = (await otpOf().createDevice('email', 'one-address', { email: input })) as EmailDevice;
      expect(device.email).toBe(stored);
    }
  });

  it("a users-table address with two recipients is never mailed (the user's own email is checked too)", async () => {
    await fixture.database.knex.schema.dropTableIfExists('hostile_users');
    await fixture.database.knex.schema.createTable('hostile_users', (table) => {
      table.string('id', 64).primary();
      table.string('username', 64);
      table.string('email', 254);
    });
    await fixture.database.knex('hostile_users').insert({ id: 'u1', username: 'u1', email: 'a@evil.example,victim@example.com' });
    const withUsers = fixture.otp({ devices, users: { table: 'hostile_users', idColumn: 'id', usernameColumn: 'username', emailColumn: 'email' } });
    const device = await withUsers.createDevice('email', 'u1', { confirmed: true });
    const before = sent.length;
    await expect(withUsers.generateChallenge('u1', device.persistentId)).rejects.toMatchObject({ code: 'ERR_OTP_DELIVERY' });
    expect(sent.length).toBe(before);
  });
});

it('a bad sender fails at start-up', () => {
  for (const from of ['nobody', '', 'a@evil.example, victim@example.com', 'Acme\r\nBcc: x@y.example <a@acme.example>', 'Ac"me <a@acme.example>', 'Acme <a@acme.example', '\u202eemca <a@acme.example>']) {
    expect(() => email({ transport, from }), from).toThrow(ConfigurationError);
  }
  expect(() => email({ transport, from: 'nobody' })).toThrow(/from must be one email address \('security@acme\.example'\) or a display name and one address/);
  expect(email({ transport, from: '"Acme, Inc." <security@acme.example>' }).options.from).toEqual({ name: 'Acme, Inc.', address: 'security@acme.example' });
  expect(email({ transport, from: 'security@acme.example' }).options.from).toEqual({ name: '', address: 'security@acme.example' });

  const twilio = (from: string) => new TwilioProvider({ accountSid: `AC${'0'.repeat(32)}`, authToken: 'token', from });
  for (const from of ['555-1234', '5551234', '+1 415 555 0100', '+0123', 'Acme Corporation', '12345678901', 'Acme-Corp', `MG${'0'.repeat(31)}`, '']) {
    expect(() => twilio(from), from).toThrow(ConfigurationError);
  }
  expect(() => twilio('555-1234')).toThrow(/from must be an E\.164 number .*an alphanumeric sender id .*or a Messaging Service SID/);
  for (const from of ['+15005550006', 'Acme', 'Acme 2FA', `MG${'ab12'.repeat(8)}`]) expect(() => sms({ provider: twilio(from) }), from).not.toThrow();
});

it('validateDeviceName is the check createOtp applies', () => {
  expect(validateDeviceName('  Phone  ')).toBe('Phone');
  expect(() => validateDeviceName(42)).toThrow(ValidationError);
});
