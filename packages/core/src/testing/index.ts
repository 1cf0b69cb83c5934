/**
 * @otpkit/core/testing: what plugin authors test with. The device contract suite (needs vitest),
 * a fake clock, the RFC 4226 and RFC 6238 vectors, and the test database backends, with a
 * `describe` block per backend (needs vitest), and a count of database round trips.
 * @packageDocumentation
 */
export { deviceContractSuite, wrongTokenFor, type DeviceContractOptions } from './contract.js';
export { FakeClock } from './fake-clock.js';
export { RFC4226_VECTORS, RFC6238_KEYS, RFC6238_VECTORS, type Rfc6238Vector } from './rfc-vectors.js';
export {
  testBackends,
  skippedBackends,
  BACKEND_VARIABLES,
  type BackendName,
  type TestBackend,
  type TestDatabase,
} from './backends.js';
export { describeOnEachBackend, type BackendBlock } from './describe-on-each-backend.js';
export { countRoundTrips, type RoundTrips } from './round-trips.js';
