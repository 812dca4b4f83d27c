// The one version of everything we ship (the VSIX, the `codex-manager` npm package, the
// `codex-manager-client` wheel) is `version` in the root package.json. The other places that
// must carry it are listed here once: `set-version.mjs` writes them, and
// test/unit/version.test.ts reads them back and fails when any of them disagrees.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The version: root package.json. */
export function projectVersion(root = ROOT) {
  return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
}

/**
 * Files that carry a copy of the version, each with how to read and write it. The Python
 * package reads its version from `_version.py` at build time (pyproject's dynamic version),
 * so that file is the Python side's only copy.
 */
export const VERSION_COPIES = [
  {
    file: 'server/version.ts',
    pattern: /export const BRIDGE_VERSION = '([^']+)';/,
    render: (v) => `export const BRIDGE_VERSION = '${v}';`,
  },
  {
    file: 'python/src/codex_manager/_version.py',
    pattern: /__version__ = "([^"]+)"/,
    render: (v) => `__version__ = "${v}"`,
  },
  {
    file: 'openapi.json',
    pattern: /"info": \{[^}]*?"version": "([^"]+)"/,
    render: (v, match) => match.replace(/"version": "[^"]+"/, `"version": "${v}"`),
  },
];

/** The version each copy holds now (undefined when its pattern is not found). */
export function readCopies(root = ROOT) {
  return VERSION_COPIES.map(({ file, pattern }) => ({
    file,
    version: fs.readFileSync(path.join(root, file), 'utf8').match(pattern)?.[1],
  }));
}

/** Semantic version, as the marketplace, npm and PyPI (PEP 440 subset) all accept it. */
export const SEMVER = /^\d+\.\d+\.\d+$/;
