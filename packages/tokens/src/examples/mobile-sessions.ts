import { createOtp, type Clock } from '@otpkit/core';
import { totp } from '@otpkit/totp';
import { createTokenSessions, generateSigningKey, type SigningKey } from '@otpkit/tokens';
import type { Knex } from 'knex';

/** Signs a user in from a mobile app, refreshes, checks a request, signs out elsewhere, and rotates the signing key. */
export async function mobileSessionsExample(knex: Knex, userId: string, clock: Clock) {
  // #region setup
  const otp = createOtp({ knex, devices: [totp()], clock, secretKeys: { '1': process.env.OTP_KEY_1 } });
  // Generate keys once (`generateSigningKey('EdDSA', '2026-01')`) and keep them with your secrets.
  const currentKey = generateSigningKey('EdDSA', '2026-01');
  const sessions = createTokenSessions(otp, {
    issuer: 'https://auth.acme.example',
    audience: 'https://api.acme.example',
    signingKeys: [currentKey], // the first key signs
  });
  await otp.migrate();
  await sessions.migrate(); // otp_token_session and otp_token_refresh_used
  // #endregion

  // #region sign-in
  // After the password and the second factor have been checked:
  const signedIn = await sessions.issue(userId, { amr: ['pwd', 'otp'], aal: 2, ip: '203.0.113.7', userAgent: 'AcmeApp/3.1 (iOS)' });
  // { accessToken, refreshToken, sessionId, accessTokenExpiresAt, refreshTokenExpiresAt }
  // #endregion

  // #region refresh
  const refreshed = await sessions.refresh(signedIn.refreshToken);
  // { ok: true, accessToken, refreshToken, ... }: store the new refresh token, forget the old one.
  // { ok: false, reason: 'invalid' | 'expired' | 'revoked' | 'reused' | 'superseded' }: sign in again.
  if (!refreshed.ok) throw new Error(refreshed.reason);
  const again = await sessions.refresh(signedIn.refreshToken); // { ok: false, reason: 'reused' }: the session is revoked
  // #endregion

  // #region verify
  // In the API, for every request (`Authorization: Bearer <accessToken>`):
  const request = await sessions.verifyAccessToken(refreshed.accessToken);
  // { ok: true, claims: { sub, sid, amr, aal, ... } } until exp, even after a revocation;
  // for a sensitive action, also read the session row:
  const sensitive = await sessions.verifyAccessToken(refreshed.accessToken, { checkRevoked: true });
  // { ok: false, reason: 'revoked' }: the reuse above revoked the session
  // #endregion

  // #region rotate-keys
  // Serve sessions.jwks() at /.well-known/jwks.json. To rotate: sign with a new key and keep the old
  // one as retired; it verifies until retiredAt + retiredKeyGraceSeconds (a day by default).
  const nextKey: SigningKey = generateSigningKey('EdDSA', '2026-07');
  const rotated = createTokenSessions(otp, {
    issuer: 'https://auth.acme.example',
    audience: 'https://api.acme.example',
    signingKeys: [nextKey],
    retiredKeys: [{ ...currentKey, retiredAt: clock() }],
  });
  const published = rotated.jwks(); // { keys: [ { kid: '2026-07', ... }, { kid: '2026-01', ... } ] }
  // #endregion

  return { signedIn, again, request, sensitive, published };
}
