/**
 * The device kinds the verification benchmarks run on: each says how to make its plugin and which
 * token every copy of a template device accepts at a given time.
 * @module
 */
import { decodeBase32, hotpToken, totpTimeStep } from '@otpkit/core';
import { totp } from '@otpkit/totp';

/**
 * @typedef {object} BenchKind
 * @property {string} type      the plugin type (first half of persistent ids)
 * @property {string} table     its device table
 * @property {() => import('@otpkit/core').DevicePlugin} plugin  the plugin, throttling off
 * @property {(template: any, nowMs: number) => string} token  the token every copy of `template` accepts at `nowMs`
 */

/** @type {BenchKind} TOTP devices with the default options (SHA-1, 6 digits, 30 s, tolerance 1) */
export const totpKind = {
  type: 'totp',
  table: 'otp_totp_device',
  plugin: () => totp({ throttle: { factor: 0 } }),
  token: (template, nowMs) => hotpToken(decodeBase32(template.revealKey()), totpTimeStep(nowMs, template.step, template.t0), template),
};

/** Memoizes `kind.token` for one template: one token per pass serves every device. */
export function tokenSource(kind, template) {
  let at = NaN;
  let token = '';
  return (nowMs) => {
    if (nowMs !== at) {
      token = kind.token(template, nowMs);
      at = nowMs;
    }
    return token;
  };
}
