import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BRIDGE_VERSION } from '../../server/version';
import { cliManifest } from '../../scripts/release/cli-manifest.mjs';
import { projectVersion, readCopies, SEMVER } from '../../scripts/release/version.mjs';

// One version for the VSIX, the `codex-manager` npm package and the `codex-manager-client`
// wheel: `version` in package.json. `npm run release:version -- x.y.z` writes the copies;
// this test fails when any of them (or a changelog) is out of step.
describe('version', () => {
  const version = projectVersion();
  const read = (file: string) => fs.readFileSync(file, 'utf8');

  it('is a plain semantic version every registry accepts', () => {
    assert.match(version, SEMVER);
  });

  it('the bridge reports the package version', () => {
    assert.equal(BRIDGE_VERSION, version);
  });

  it('every copy carries it (bridge, Python package, openapi.json)', () => {
    for (const copy of readCopies()) assert.equal(copy.version, version, `${copy.file} says ${copy.version}`);
  });

  it('the lock file agrees', () => {
    const lock = JSON.parse(read('package-lock.json')) as { version: string; packages: Record<string, { version?: string }> };
    assert.equal(lock.version, version);
    assert.equal(lock.packages['']?.version, version);
  });

  it('the CLI package is derived from it, with the pinned codex as an optional dependency', () => {
    const root = JSON.parse(read('package.json')) as Record<string, unknown> & { devDependencies: Record<string, string>; license: string; bin: Record<string, string> };
    const cli = cliManifest(root);
    assert.equal(cli.version, version);
    assert.equal(cli.license, root.license);
    assert.deepEqual(cli.bin, root.bin);
    assert.deepEqual(cli.optionalDependencies, { '@openai/codex': root.devDependencies['@openai/codex'] });
    assert.equal('dependencies' in cli, false, 'the bundles inline every JavaScript dependency');
  });

  it('the Python package takes its version from _version.py, not a second literal', () => {
    const pyproject = read('python/pyproject.toml');
    assert.match(pyproject, /^dynamic = \["version"\]$/m);
    assert.doesNotMatch(pyproject, /^version = "/m);
    assert.match(pyproject, /version = \{ attr = "codex_manager\._version\.__version__" \}/);
  });

  it('both changelogs have a section for it, and the licences are the same', () => {
    for (const log of ['CHANGELOG.md', 'python/CHANGELOG.md']) {
      assert.ok(read(log).includes(`## [${version}]`), `${log} has no "## [${version}]" section`);
    }
    assert.equal(read('python/LICENSE'), read('LICENSE'));
  });
});
