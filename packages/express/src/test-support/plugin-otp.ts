import type { Otp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import type { BackendFixture } from '../../../core/src/test-support/backend-fixture.js';
import type { RecordingSmsProvider } from './recording-sms.js';

/** An otp instance with the real TOTP, backup-code, email and SMS plugins, migrated. */
export async function pluginOtp(fixture: BackendFixture, smtpUrl: string, provider: RecordingSmsProvider): Promise<Otp> {
  const otp = fixture.otp({
    devices: [
      totp({ issuer: 'otpkit-test' }),
      staticTokens(),
      email({ transport: smtpUrl, from: 'otpkit <no-reply@otpkit.test>' }),
      sms({ provider }),
    ],
  });
  await otp.migrate();
  return otp;
}
