#!/usr/bin/env node
// `npm run release:version -- <x.y.z>`: sets the one version of the extension, the CLI
// package and the Python package. Writes the root package.json (and its lock file entries),
// then every copy listed in version.mjs. The changelogs are written by people: this script
// only reminds you when CHANGELOG.md or python/CHANGELOG.md has no section for the version.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SEMVER, VERSION_COPIES } from './version.mjs';

const version = process.argv[2];
if (!version || !SEMVER.test(version)) {
  console.error('usage: set-version.mjs <major.minor.patch>');
  process.exit(2);
}
// The version line only: `npm version` would also re-encode the rest of package.json.
const manifest = path.join(ROOT, 'package.json');
fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(/^( {2}"version": ")[^"]+(")/m, `$1${version}$2`));
// The lock file's own entries (npm writes it as 2-space JSON with a final newline).
const lockFile = path.join(ROOT, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
lock.version = version;
lock.packages[''].version = version;
fs.writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package.json, package-lock.json: -> ${version}`);
for (const { file, pattern, render } of VERSION_COPIES) {
  const full = path.join(ROOT, file);
  const text = fs.readFileSync(full, 'utf8');
  const match = text.match(pattern);
  if (!match) throw new Error(`${file}: no version found (pattern ${pattern})`);
  fs.writeFileSync(full, text.replace(pattern, render(version, match[0])));
  console.log(`${file}: ${match[1]} -> ${version}`);
}
for (const log of ['CHANGELOG.md', 'python/CHANGELOG.md']) {
  if (!fs.readFileSync(path.join(ROOT, log), 'utf8').includes(`## [${version}]`)) {
    console.warn(`${log}: add a "## [${version}]" section before releasing (test/unit/version.test.ts checks it)`);
  }
}
