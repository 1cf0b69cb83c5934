import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.js';
import { createOtp } from '../otp.js';
import { sequence } from '../test-support/sequence-device.js';
import { formatMessage } from './message-format.js';
import { BUILT_IN_CATALOGS, Messages, type Catalog } from './messages.js';

const sqlite = () => knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });

describe('Messages', () => {
  it('has English and French, English the default, and looks messages up with their placeholders filled', () => {
    const messages = new Messages();
    expect(messages.locales).toEqual(['en', 'fr']);
    expect(messages.translator('fr').t('form.cooldown', { retryAfter: 30 })).toBe('Un code vient d’être envoyé\u00a0; vous pourrez en demander un autre dans 30 seconde(s).');
    expect(messages.translator('en').t('webauthn.useDevice', { device: 'YubiKey' })).toBe('Use YubiKey');
    expect(messages.translator('en').t('webauthn.useDevice')).toBe('Use {device}'); // a value not given stays visible
  });

  it('gives the default locale for a locale it does not have, and finds a locale by prefix or case', () => {
    const messages = new Messages({ defaultLocale: 'fr' });
    expect(messages.locales).toEqual(['fr', 'en']);
    expect(messages.translator('de').locale).toBe('fr');
    expect(messages.translator(undefined).locale).toBe('fr');
    expect(messages.translator(42).locale).toBe('fr');
    expect(messages.translator('EN-gb').locale).toBe('en');
    expect(messages.match('fr-CA')).toBe('fr');
    expect(messages.match('de')).toBeUndefined();
    expect(messages.negotiate('de, en-US;q=0.8')).toBe('en');
    expect(messages.negotiate('de')).toBe('fr');
    expect(messages.translator('fr')).toBe(messages.translator('fr-BE')); // cached per locale
  });

  it('picks a plural form by count with the locale’s rules, other when the message lacks the form', () => {
    const message = { one: '{count} code left', other: '{count} codes left' };
    const french = { one: 'Il reste {count} code', other: 'Il reste {count} codes' };
    expect([0, 1, 2].map((count) => formatMessage(message, { count }, new Intl.PluralRules('en')))).toEqual(['0 codes left', '1 code left', '2 codes left']);
    // French counts 0 and 1 as one.
    expect([0, 1, 2].map((count) => formatMessage(french, { count }, new Intl.PluralRules('fr')))).toEqual(['Il reste 0 code', 'Il reste 1 code', 'Il reste 2 codes']);
    expect(formatMessage({ other: '{count} Codes' }, { count: 1 }, new Intl.PluralRules('de'))).toBe('1 Codes');
    expect(formatMessage(message, {}, new Intl.PluralRules('en'))).toBe('{count} codes left');
  });

  it('lets the application reword a built-in locale, keeping the rest', () => {
    const messages = new Messages({ locales: { fr: { 'error.not_found': 'Page absente' }, en: { 'sms.code.text': 'Acme code: {token}' } } });
    expect(messages.translator('fr').t('error.not_found')).toBe('Page absente');
    expect(messages.translator('fr').t('error.throttled')).toBe(BUILT_IN_CATALOGS.fr!['error.throttled']);
    expect(messages.translator('en').t('sms.code.text', { token: '123456' })).toBe('Acme code: 123456');
  });

  it('adds a complete new locale, its tag in canonical form', () => {
    const german: Catalog = { ...BUILT_IN_CATALOGS.en!, 'error.not_found': 'Nicht gefunden' };
    const messages = new Messages({ locales: { 'de-at': german } });
    expect(messages.locales).toEqual(['en', 'fr', 'de-AT']);
    expect(messages.negotiate('de-AT, en;q=0.1')).toBe('de-AT');
    expect(messages.translator('de-at').t('error.not_found')).toBe('Nicht gefunden');
  });

  it('refuses at start-up a new locale that lacks a message, naming some', () => {
    const { 'error.not_found': _dropped, ...incomplete } = BUILT_IN_CATALOGS.en!;
    expect(() => new Messages({ locales: { de: incomplete } })).toThrow(/messages\.locales\.de lacks 1 message\(s\), e\.g\. error\.not_found: give every key/);
    expect(() => new Messages({ locales: { de: {} } })).toThrow(ConfigurationError);
  });

  it('refuses unknown keys, malformed messages, unknown placeholders and plural forms without a count', () => {
    const refused: [unknown, RegExp][] = [
      [{ locales: { fr: { 'error.not_fund': 'x' } } }, /messages\.locales\.fr: unknown option "error\.not_fund" \(did you mean "error\.not_found"\?\)/],
      [{ locales: { fr: { 'error.not_found': 42 } } }, /must be a string or plural forms/],
      [{ locales: { fr: { 'error.not_found': { one: 'x' } } } }, /must be a string or plural forms/],
      [{ locales: { fr: { 'error.not_found': { other: 'x', several: 'y' } } } }, /must be a string or plural forms/],
      [{ locales: { fr: { 'error.not_found': { other: 'x' } } } }, /is given no count: give a string/],
      [{ locales: { fr: { 'sms.code.text': 'Code : {code}' } } }, /uses \{code\}, which is never filled; its placeholders are \{token\}/],
      [{ locales: { fr: { 'error.not_found': 'Introuvable {path}' } } }, /its placeholders are none/],
      [{ locales: { fr: null } }, /messages\.locales\.fr must be an object/],
      [{ locales: { 'not a tag': {} } }, /"not a tag" is not a locale tag/],
      [{ locales: { fr: {}, FR: {} } }, /gives "fr" twice/],
      [{ locales: ['fr'] }, /messages\.locales must be an object/],
      [{ defaultLocale: 'de' }, /messages\.defaultLocale "de" has no catalog; the locales are en, fr/],
      [{ defaultLocale: 7 }, /messages\.defaultLocale: "7" is not a locale tag/],
      [{ defaultlocale: 'fr' }, /unknown option "defaultlocale" \(did you mean "defaultLocale"\?\)/],
      ['fr', /messages must be an object/],
    ];
    for (const [options, message] of refused) expect(() => new Messages(options as never), JSON.stringify(options)).toThrow(message);
  });

  it('is the catalog of an otp instance: createOtp({ messages }) refuses the same mistakes at start-up', () => {
    const otp = createOtp({ knex: sqlite(), devices: [sequence()], messages: { defaultLocale: 'fr' } });
    expect(otp.messages.defaultLocale).toBe('fr');
    expect(otp.messages.translator().t('error.not_found')).toBe('Introuvable');
    expect(() => createOtp({ knex: sqlite(), devices: [sequence()], messages: { locales: { de: { 'error.not_found': 'Nicht gefunden' } } } })).toThrow(/messages\.locales\.de lacks/);
    expect(() => createOtp({ knex: sqlite(), devices: [sequence()], messages: { locales: { fr: { 'error.nope': 'x' } } } as never })).toThrow(/unknown option "error\.nope"/);
  });
});
