#!/usr/bin/env node
// `npm run release:version -- <x.y.z>`: sets the one version of the extension, the CLI
// package and the Python package. Writes the root package.json (and its lock file entry),
// then every copy listed in version.mjs. The changelogs are written by people: this script
// only reminds you when CHANGELOG.md or python/CHANGELOG.md has no section for the version.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SEMVER, VERSION_COPIES } from './version.mjs';

const version = process.argv[2];
if (!version || !SEMVER.test(version)) {
  console.error('usage: set-version.mjs <major.minor.patch>');
  process.exit(2);
}
// npm writes package.json and package-lock.json consistently (no git tag, no scripts).
execFileSync('npm', ['version', version, '--no-git-tag-version', '--allow-same-version', '--ignore-scripts'], { cwd: ROOT, stdio: 'inherit' });
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
