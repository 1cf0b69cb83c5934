import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsers, databaseUrl, runBin, workDir } from '../../packages/cli/src/test-support/run-bin.js';

/** The app of docs/cli.md: `otpkit.config.ts` exporting the otp instance of the app's own `src/otp.ts`. */
const EXAMPLE_APP = new URL('./examples/typescript-app/', import.meta.url);

for (const backend of testBackends()) {
  describe(`otpkit with the app's TypeScript setup on ${backend.name}`, () => {
    let database: TestDatabase;
    const app = workDir('repository');
    let env: Record<string, string> = {};
    const otpkit = (...args: string[]) => runBin(args, { cwd: app.path, env });

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 2 });
      await createUsers(database.knex, 'accounts', 'login');
      await database.knex('accounts').insert({ login: 'admin' });
      cpSync(EXAMPLE_APP, app.path, { recursive: true });
      env = { DB_CLIENT: String(database.config.client), DB_CONNECTION: databaseUrl(database.config), OTP_KEY_1: 'c'.repeat(64) };
    });
    afterAll(async () => {
      await database?.destroy();
      app.remove();
    });

    it('loads otpkit.config.ts, which imports the app\'s own TypeScript modules, with no JavaScript copy of them', async () => {
      expect(await otpkit('migrate')).toEqual({ code: 0, stdout: 'Migrated otpkit (devices: totp, static).\n', stderr: '' });
      const added = await otpkit('addstatictoken', 'admin');
      expect(added).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\n$/), stderr: '' });
      const devices = await otpkit('devices', 'admin', '--json');
      expect(JSON.parse(devices.stdout)).toEqual([expect.objectContaining({ type: 'static', name: 'Backup Code', confirmed: true })]);
      expect(await otpkit('verify', 'admin', added.stdout.trim())).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Verified: static\/\d+ \(Backup Code\)\.\n$/) });
      const enrolled = JSON.parse((await otpkit('totp', 'add', 'alice', '--json')).stdout) as { display: { otpauthUri: string } };
      expect(enrolled.display.otpauthUri).toMatch(/^otpauth:\/\/totp\/Acme:alice\?/);
    });

    it("resolves the paths of the app's tsconfig.json, and loads a CommonJS or ES module setup in TypeScript through --config", async () => {
      writeFileSync(join(app.path, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', paths: { '~/*': ['./src/*'] } } }));
      mkdirSync(join(app.path, 'config'), { recursive: true });
      writeFileSync(join(app.path, 'config', 'aliased.mts'), "import { otp } from '~/otp.js';\nexport default async (): Promise<typeof otp> => otp;\n");
      writeFileSync(join(app.path, 'config', 'common.cts'), "const { otp } = require('../src/otp.ts');\nmodule.exports = otp;\n");
      for (const file of ['config/aliased.mts', 'config/common.cts']) {
        const listed = await otpkit('--config', file, 'devices', 'admin', '--json');
        expect(listed, file).toMatchObject({ code: 0, stderr: '' });
        expect(JSON.parse(listed.stdout), file).toEqual([expect.objectContaining({ type: 'static' })]);
      }
    });

    it('refuses a module whose exports look like the options but are not its default export', async () => {
      writeFileSync(join(app.path, 'named.ts'), "export { database as knex } from './src/database.js';\nexport const devices = [];\n");
      expect(await otpkit('--config', 'named.ts', 'devices', 'admin')).toEqual({
        code: 1,
        stdout: '',
        stderr: `otpkit: ${join(app.path, 'named.ts')} must export default the createOtp options, an otpkit instance, or a function returning one (ERR_OTP_CONFIGURATION)\n`,
      });
    });

    it('refuses to guess between two configuration files, and reports a syntax error in one line naming the file', async () => {
      writeFileSync(join(app.path, 'otpkit.config.mjs'), 'export default {};\n');
      expect(await otpkit('devices', 'admin')).toEqual({
        code: 1,
        stdout: '',
        stderr: `otpkit: ${app.path} has 2 configuration files (otpkit.config.ts, otpkit.config.mjs): keep one, or pass --config PATH (ERR_OTP_CONFIGURATION)\n`,
      });
      writeFileSync(join(app.path, 'broken.ts'), 'export default { knex: ;\n');
      const broken = await otpkit('--config', 'broken.ts', 'devices', 'admin');
      expect(broken).toMatchObject({ code: 1, stdout: '' });
      expect(broken.stderr).toMatch(new RegExp(`^otpkit: ${join(app.path, 'broken.ts')} could not be loaded: .+ \\(ERR_OTP_CONFIGURATION\\)\\n$`));
    });
  });
}
