import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOtp } from '@otpkit/core';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../test/support/external-tools.js';

/** Decodes a PNG data URL with zbar, as a phone's camera would read the QR code. */
function scanQr(dataUrl: string, dir: string): string {
  const file = join(dir, 'qr.png');
  writeFileSync(file, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  return execFileSync('/usr/bin/zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The code oathtool computes from a Key-URI's parameters at `nowMs`. */
function oathtoolTotp(uri: string, nowMs: number): string {
  const params = new URL(uri).searchParams;
  const now = `${new Date(nowMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return execFileSync(
    '/usr/bin/oathtool',
    [`--totp=${params.get('algorithm')}`, '-b', `--digits=${params.get('digits')}`, `--time-step-size=${params.get('period')}s`, `--now=${now}`, params.get('secret')!],
    { encoding: 'utf8' },
  ).trim();
}

const otpFor = (database: TestDatabase, clock: FakeClock) =>
  createOtp({
    knex: database.knex,
    devices: [totp({ issuer: 'Acme Corp' })],
    clock: clock.now,
    secretKeys: { '1': 'c'.repeat(64) },
  });

for (const backend of testBackends()) {
  describe.runIf(haveTools('oathtool', 'zbarimg'))(`TOTP interop with zbarimg and oathtool on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: ReturnType<typeof otpFor>;
    let dir: string;
    const clock = new FakeClock(Date.UTC(2026, 4, 17, 9, 41, 13));

    beforeAll(async () => {
      database = await backend.createDatabase();
      dir = mkdtempSync(join(tmpdir(), 'otpkit-qr-'));
      otp = otpFor(database, clock);
      await otp.migrate();
    });
    afterAll(async () => {
      await database?.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    const cases = [
      { algorithm: 'sha1', digits: 6, step: 30 },
      { algorithm: 'sha256', digits: 8, step: 30 },
      { algorithm: 'sha512', digits: 6, step: 60 },
    ] as const;
    for (const parameters of cases) {
      it(`accepts the code oathtool computes from the scanned QR code (${parameters.algorithm}, ${parameters.digits} digits, ${parameters.step} s)`, async () => {
        const userId = `interop-${parameters.algorithm}`;
        const device = await otp.createDevice('totp', userId, parameters);
        const uri = scanQr(await device.qrCode('png', { account: 'jürgen müller@example.com' }), dir);
        expect(uri).toBe(await device.keyUri({ account: 'jürgen müller@example.com' }));
        const code = oathtoolTotp(uri, clock.now());
        expect(code).toMatch(new RegExp(`^[0-9]{${parameters.digits}}$`));
        expect((await otp.confirmDevice(device.userId, device.persistentId, code)).ok).toBe(true);
        clock.advanceSeconds(parameters.step);
        expect(await otp.verifyToken(userId, device.persistentId, oathtoolTotp(uri, clock.now()))).not.toBeNull();
      });
    }
  });
}
