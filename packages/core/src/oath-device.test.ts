import { describe, expect, it } from 'vitest';
import { resolveOathPluginOptions, type OathPluginOptions } from './oath-device.js';

const valid: OathPluginOptions = { issuer: null, image: null, algorithm: 'sha1', keyBytes: 20, throttle: { factor: 1 } };

describe('resolveOathPluginOptions', () => {
  it('overlays the given fields that are not undefined on the defaults, and freezes the result and its throttle', () => {
    const options = resolveOathPluginOptions('totp', valid, { issuer: () => 'Acme', image: 'https://acme.example/logo.png', algorithm: undefined });
    expect(options).toMatchObject({ image: 'https://acme.example/logo.png', algorithm: 'sha1', keyBytes: 20 });
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(options.throttle)).toBe(true);
  });

  it('names the plugin in the ConfigurationError of each bad shared option', () => {
    const bad: Partial<Record<keyof OathPluginOptions, unknown>>[] = [
      { issuer: 7 },
      { image: 'not a url' },
      { algorithm: 'md5' },
      { keyBytes: 15 },
      { keyBytes: 65 },
      { keyBytes: 20.5 },
      { throttle: null },
    ];
    expect(() => resolveOathPluginOptions('hotp', valid, null as never)).toThrow(expect.objectContaining({ message: 'hotp: options must be an object' }));
    for (const change of bad) {
      expect(() => resolveOathPluginOptions('hotp', valid, change as Partial<OathPluginOptions>), JSON.stringify(change)).toThrow(
        expect.objectContaining({ code: 'ERR_OTP_CONFIGURATION', message: expect.stringMatching(/^hotp: /) }),
      );
    }
  });
});
