import express from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import { BUILT_IN_CATALOGS, createOtp, type Catalog, type Otp } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware, twoFactorApi } from '@otpkit/express';
import { totp } from '@otpkit/totp';

// #region catalog
/** German: a new locale gives every key, so it starts from a copy of the English catalog. */
const german: Catalog = {
  ...BUILT_IN_CATALOGS.en!,
  'error.unauthenticated': 'Bitte melden Sie sich zuerst an',
  'error.not_found': 'Nicht gefunden',
  // …every other key, translated
};

/** An otp instance whose French says "your Acme account", and which speaks German too. */
export function languagesOtp(knex: Knex): Otp {
  return createOtp({
    knex,
    devices: [totp({ issuer: 'Acme' })],
    messages: {
      defaultLocale: 'en',
      locales: {
        fr: { 'error.unauthenticated': 'Connectez-vous d’abord à votre compte Acme' },
        de: german,
      },
    },
  });
}
// #endregion

/** An app whose pages and JSON messages are in each request's language. */
export function languagesApp(otp: Otp, sessionSecret: string): express.Express {
  const app = express();
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false }));
  // #region locale
  // The user's own choice first (here `?lang=`; in your app, their profile), else Accept-Language.
  app.use(otpMiddleware(otp, { locale: (req) => (typeof req.query.lang === 'string' ? req.query.lang : undefined) }));
  app.use('/account', otpLoginRouter(otp, { authenticate: () => null }));
  app.use('/api/2fa', twoFactorApi(otp));
  // Your own pages and messages can use the catalog too.
  app.get('/missing', (req, res) => {
    res.status(404).json({ locale: req.otp.locale, message: req.otp.t('error.not_found') });
  });
  // #endregion
  return app;
}
