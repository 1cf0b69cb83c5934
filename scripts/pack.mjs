// `npm run pack [-- <folder>]`: writes the tarball of every public package (the demo is private
// and never packed) to one folder, dist-tarballs/ by default, and prints their paths, one a line.
// Until the packages are on a registry, an app installs otpkit from these files
// (docs/getting-started.md).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const destination = resolve(process.argv[2] ?? join(root, 'dist-tarballs'));

const publicPackages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => JSON.parse(readFileSync(join(root, 'packages', entry.name, 'package.json'), 'utf8')))
  .filter((manifest) => !manifest.private)
  .map((manifest) => manifest.name);

mkdirSync(destination, { recursive: true });
// Tarballs of an earlier version would be installed by mistake next to the new ones.
for (const old of readdirSync(destination).filter((file) => /^otpkit-.*\.tgz$/.test(file))) rmSync(join(destination, old));

const workspaces = publicPackages.flatMap((name) => ['--workspace', name]);
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', destination, ...workspaces], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
for (const { filename } of packed) console.log(join(destination, filename));
