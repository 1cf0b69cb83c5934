// Verifies a JWT against a JWKS with jose, as a resource server in another process would.
// Input: one JSON argument { jwks, jwt, issuer, audience, at }. Output: { payload } or { error }.
import { createLocalJWKSet, jwtVerify } from 'jose';

const { jwks, jwt, issuer, audience, at } = JSON.parse(process.argv[2]);
try {
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer, audience, currentDate: new Date(at) });
  process.stdout.write(JSON.stringify({ payload }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: error.code ?? String(error) }));
}
