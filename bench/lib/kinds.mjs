/**
 * The device kinds the verification benchmarks can run on: each says how to make its plugin, how
 * to create the template device that {@link cloneDevice} copies, and which token every copy
 * accepts at a given time.
 * @module
 */
import { step, stepToken } from './step-plugin.mjs';

/**
 * @typedef {object} BenchKind
 * @property {string} type      the plugin type (first half of persistent ids)
 * @property {string} table     its device table
 * @property {() => import('@otpkit/core').DevicePlugin} plugin  the plugin, throttling off
 * @property {(template: object, nowMs: number) => string | Promise<string>} token  the token every copy of `template` accepts at `nowMs`
 */

/** @type {BenchKind} core's verification path with a TOTP-shaped check and no OATH arithmetic */
export const stepKind = {
  type: 'step',
  table: 'otp_step_device',
  plugin: () => step(0),
  token: (template, nowMs) => stepToken(template.secret, nowMs),
};

/** Memoizes `kind.token` for one template: one token per pass serves every device. */
export function tokenSource(kind, template) {
  let at = NaN;
  let token = '';
  return async (nowMs) => {
    if (nowMs !== at) {
      token = await kind.token(template, nowMs);
      at = nowMs;
    }
    return token;
  };
}
