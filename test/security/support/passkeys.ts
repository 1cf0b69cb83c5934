import { expect } from 'vitest';
import { webauthn } from '@otpkit/webauthn';
import type { ApiClient } from '../../../packages/express/src/test-support/api-client.js';
import type { SoftAuthenticator } from '../../../packages/webauthn/src/test-support/soft-authenticator.js';

/** The relying party of the security suite's WebAuthn tests: the soft authenticator's default origin is its origin. */
export const relyingParty = (options: Partial<Parameters<typeof webauthn>[0]> = {}) =>
  webauthn({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example', ...options });

/** Registers a credential of `authenticator` through the JSON API in `client`'s session; returns the device's persistent id. */
export async function registerOverApi(client: ApiClient, authenticator: SoftAuthenticator): Promise<string> {
  const enrolled = await client.post('/devices/webauthn', {});
  expect(enrolled.status).toBe(201);
  const confirmed = await client.post(`/devices/${enrolled.body.device.id}/confirm`, { token: authenticator.register(enrolled.body.publicKey) });
  expect(confirmed.status).toBe(200);
  return enrolled.body.device.id;
}
