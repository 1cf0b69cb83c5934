import { afterAll, beforeAll } from 'vitest';
import type { Otp, OtpEvent, OtpEventHooks, OtpOptions, TypedOtp } from '@otpkit/core';
import type express from 'express';
import { email } from '@otpkit/email';
import { sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import type { BackendFixture } from '../../../packages/core/src/test-support/backend-fixture.js';
import { recordEvents } from '../../../packages/core/src/test-support/recorded-events.js';
import { startSmtpSink, type SmtpSink } from '../../../packages/email/src/test-support/smtp-sink.js';
import type { OtpMiddlewareOptions, TwoFactorApiOptions } from '@otpkit/express';
import { startOtpApp } from '../../../packages/express/src/test-support/otp-app.js';
import { RecordingSmsProvider } from './recording-sms.js';
import type { TestServer } from '../../../packages/express/src/test-support/test-server.js';
import { createUsersTable } from '../../../packages/express/src/test-support/users.js';

/** What the plugin app needs of a backend fixture (core's, or test/security's). */
export type PluginAppFixture = Pick<BackendFixture, 'database'> & { otp(options: Omit<OtpOptions, 'knex'>): Otp };

/** The real TOTP, backup-code, email and SMS plugins, mailing through `smtpUrl` and texting through `provider`. */
function realPlugins(smtpUrl: string, provider: RecordingSmsProvider) {
  return [
    totp({ issuer: 'otpkit-test' }),
    staticTokens(),
    email({ transport: smtpUrl, from: 'otpkit <no-reply@otpkit.test>' }),
    sms({ provider }),
  ] as const;
}

/** An otp instance typed by the real plugins. */
export type PluginOtp = TypedOtp<ReturnType<typeof realPlugins>>;

/** An otp instance with the real TOTP, backup-code, email and SMS plugins and the given event hooks, migrated. */
export async function pluginOtp(fixture: PluginAppFixture, smtpUrl: string, provider: RecordingSmsProvider, events?: OtpEventHooks): Promise<PluginOtp> {
  const otp = fixture.otp({ events, devices: realPlugins(smtpUrl, provider) }) as PluginOtp;
  await otp.migrate();
  return otp;
}

/** The real-plugin otp instance, its SMTP server and SMS provider, and the test app on top. */
export interface PluginApp {
  readonly otp: PluginOtp;
  readonly smtp: SmtpSink;
  readonly sms: RecordingSmsProvider;
  readonly server: TestServer;
  /** Every event the otp instance reported, in order. */
  readonly events: OtpEvent[];
}

/**
 * Starts a {@link PluginApp} before the block's tests (with a users table) and stops it after them;
 * `options` go to otpMiddleware and twoFactorApi; `configure` adds routes.
 */
export function usePluginApp(
  fixture: PluginAppFixture,
  options: { middleware?: OtpMiddlewareOptions; api?: TwoFactorApiOptions; configure?: (app: express.Express) => void } = {},
): PluginApp {
  const recorded = recordEvents();
  const app = { events: recorded.events } as { -readonly [K in keyof PluginApp]: PluginApp[K] };
  beforeAll(async () => {
    app.smtp = await startSmtpSink();
    app.sms = new RecordingSmsProvider();
    app.otp = await pluginOtp(fixture, app.smtp.url, app.sms, recorded.hooks);
    await createUsersTable(fixture.database.knex);
    app.server = await startOtpApp(app.otp, fixture.database.knex, options.configure, options.middleware, options.api);
  });
  afterAll(async () => {
    await app.server?.close();
    await app.smtp?.close();
  });
  return app;
}
