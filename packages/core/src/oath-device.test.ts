import { describe, expect, it } from 'vitest';
import { checkOathPluginOptions, type OathPluginOptions } from './oath-device.js';

const valid: OathPluginOptions = { issuer: null, image: null, algorithm: 'sha1', keyBytes: 20, throttle: { factor: 1 } };

describe('checkOathPluginOptions', () => {
  it('freezes valid options and their throttle', () => {
    const options = checkOathPluginOptions('totp', { ...valid, issuer: () => 'Acme', image: 'https://acme.example/logo.png' });
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
    for (const change of bad) {
      expect(() => checkOathPluginOptions('hotp', { ...valid, ...change } as OathPluginOptions), JSON.stringify(change)).toThrow(
        expect.objectContaining({ code: 'ERR_OTP_CONFIGURATION', message: expect.stringMatching(/^hotp: /) }),
      );
    }
  });
});
