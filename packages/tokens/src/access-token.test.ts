import { createPublicKey } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { generateSigningKey, SIGNING_ALGORITHMS } from '@otpkit/tokens';
import { describe, expect, it } from 'vitest';
import { AUDIENCE, ISSUER, sessionsFixture, verifyInAnotherProcess } from './test-support/sessions-fixture.js';

const SIGN_IN = { amr: ['pwd', 'otp'], aal: 2 } as const;

describeOnEachBackend('access tokens', (block) => {
  const fixture = sessionsFixture(block);

  describe.each(SIGNING_ALGORITHMS)('signed with %s', (algorithm) => {
    it('issue then verify: the claims of the sign-in', async () => {
      const sessions = fixture.sessions({ signingKeys: [generateSigningKey(algorithm, `k-${algorithm}`)] });
      const user = fixture.nextUser();
      const issued = await sessions.issue(user, SIGN_IN);
      const now = Math.floor(fixture.clock.now() / 1000);
      const checked = await sessions.verifyAccessToken(issued.accessToken);
      expect(checked).toEqual({
        ok: true,
        claims: { iss: ISSUER, aud: AUDIENCE, sub: String(user), sid: issued.sessionId, amr: ['pwd', 'otp'], aal: 2, iat: now, exp: now + 600, auth_time: now, jti: expect.stringMatching(/^[\w-]{22}$/) },
      });
      expect(issued.accessTokenExpiresAt).toBe((now + 600) * 1000);
      const [header] = issued.accessToken.split('.');
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: algorithm, kid: `k-${algorithm}`, typ: 'JWT' });
    });
  });

  it.each(['EdDSA', 'ES256'] as const)('a %s token verifies with jose in another process against the JWKS', async (algorithm) => {
    const sessions = fixture.sessions({ signingKeys: [generateSigningKey(algorithm, 'published')] });
    const issued = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const verified = await verifyInAnotherProcess(sessions.jwks(), issued.accessToken, fixture.clock.now());
    expect(verified.error).toBeUndefined();
    expect(verified.payload).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sid: issued.sessionId, aal: 2 });
    const other = fixture.sessions({ signingKeys: [generateSigningKey(algorithm, 'published')] });
    expect(await verifyInAnotherProcess(other.jwks(), issued.accessToken, fixture.clock.now())).toEqual({ error: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('the JWKS has the public parts of current and in-grace keys, never an HS256 secret or a private part', () => {
    const current = generateSigningKey('EdDSA', 'current-key');
    const retired = { ...generateSigningKey('ES256', 'retired-key'), retiredAt: fixture.clock.now() };
    const hmac = generateSigningKey('HS256', 'shared-key');
    const sessions = fixture.sessions({ signingKeys: [current, hmac], retiredKeys: [retired], retiredKeyGraceSeconds: 3600 });
    const { keys } = sessions.jwks();
    expect(keys.map((key) => key.kid)).toEqual(['current-key', 'retired-key']);
    expect(keys.every((key) => key.d === undefined && key.k === undefined)).toBe(true);
    expect(JSON.stringify(keys)).not.toContain(hmac.key as string);
    fixture.clock.advanceSeconds(3600);
    expect(sessions.jwks().keys.map((key) => key.kid)).toEqual(['current-key']);
  });

  it('a token signed with a retired key verifies within the grace and is refused after it', async () => {
    const old = generateSigningKey('EdDSA', 'old');
    const before = fixture.sessions({ signingKeys: [old], accessTokenSeconds: 7200, retiredKeyGraceSeconds: 7200 });
    const { accessToken } = await before.issue(fixture.nextUser(), SIGN_IN);
    const after = fixture.sessions({ signingKeys: [generateSigningKey('EdDSA', 'new')], retiredKeys: [{ ...old, retiredAt: fixture.clock.now() }], retiredKeyGraceSeconds: 600 });
    fixture.clock.advanceSeconds(599);
    expect(await after.verifyAccessToken(accessToken)).toMatchObject({ ok: true });
    fixture.clock.advanceSeconds(1);
    expect(await after.verifyAccessToken(accessToken)).toEqual({ ok: false, reason: 'invalid' });
    expect(await before.verifyAccessToken(accessToken)).toMatchObject({ ok: true });
  });

  it('an access token is refused as expired at its exp', async () => {
    const sessions = fixture.sessions();
    const { accessToken } = await sessions.issue(fixture.nextUser(), SIGN_IN);
    fixture.clock.advanceSeconds(599);
    expect(await sessions.verifyAccessToken(accessToken)).toMatchObject({ ok: true });
    fixture.clock.advanceSeconds(1);
    expect(await sessions.verifyAccessToken(accessToken)).toEqual({ ok: false, reason: 'expired' });
  });

  it('alg none: an unsigned token with valid claims is refused', async () => {
    const sessions = fixture.sessions();
    const { accessToken } = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'current', typ: 'JWT' })).toString('base64url');
    const forged = `${header}.${accessToken.split('.')[1]}.`;
    expect(await sessions.verifyAccessToken(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(await sessions.verifyAccessToken(new UnsecuredJWT(claims).encode())).toEqual({ ok: false, reason: 'invalid' });
  });

  it('algorithm confusion: an HS256 token keyed with the published EdDSA public key is refused', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const { sessionId } = await sessions.issue(user, SIGN_IN);
    const [jwk] = sessions.jwks().keys;
    const publicKey = createPublicKey({ key: jwk!, format: 'jwk' });
    const now = Math.floor(fixture.clock.now() / 1000);
    const secrets = [publicKey.export({ type: 'spki', format: 'pem' }), publicKey.export({ type: 'spki', format: 'der' }), Buffer.from(JSON.stringify(jwk))];
    for (const secret of secrets) {
      const forged = await new SignJWT({ sid: sessionId, amr: ['pwd'], aal: 2 })
        .setProtectedHeader({ alg: 'HS256', kid: 'current' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(String(user))
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .setJti('forged')
        .sign(Buffer.from(secret));
      expect(await sessions.verifyAccessToken(forged)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('a token of another issuer or audience, an unknown kid, or a tampered payload is refused', async () => {
    const key = generateSigningKey('EdDSA', 'current');
    const sessions = fixture.sessions({ signingKeys: [key] });
    const user = fixture.nextUser();
    const { accessToken } = await fixture.sessions({ signingKeys: [key], issuer: 'https://other.example.test' }).issue(user, SIGN_IN);
    expect(await sessions.verifyAccessToken(accessToken)).toEqual({ ok: false, reason: 'invalid' });
    const forAnotherApi = await fixture.sessions({ signingKeys: [key], audience: 'https://other-api.example.test' }).issue(user, SIGN_IN);
    expect(await sessions.verifyAccessToken(forAnotherApi.accessToken)).toEqual({ ok: false, reason: 'invalid' });
    const unknownKid = await fixture.sessions({ signingKeys: [generateSigningKey('EdDSA', 'stranger')] }).issue(user, SIGN_IN);
    expect(await sessions.verifyAccessToken(unknownKid.accessToken)).toEqual({ ok: false, reason: 'invalid' });
    const own = await sessions.issue(user, SIGN_IN);
    const [header, payload, signature] = own.accessToken.split('.');
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), aal: 2, sub: 'admin' })).toString('base64url');
    expect(await sessions.verifyAccessToken(`${header}.${raised}.${signature}`)).toEqual({ ok: false, reason: 'invalid' });
  });
});
