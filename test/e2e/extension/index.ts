import * as mochaModule from 'mocha';
import type MochaType from 'mocha';

// mocha 12 is an ES module, and this bundle is CommonJS with mocha external: the require()
// gives the class on Node 24 (VS Code 1.139's host) and the module namespace on Node 20
// (VS Code 1.93's, the oldest workbench the harness runs).
type MochaClass = typeof MochaType;
const loaded = mochaModule as unknown as { Mocha?: MochaClass; default?: MochaClass };
const Mocha: MochaClass = loaded.Mocha ?? loaded.default ?? (mochaModule as unknown as MochaClass);

/**
 * The extension-host test entry (`extensionTestsPath`), bundled by scripts/build.mjs into
 * dist/test/extension-suite.js. The test files are bundled in, so instead of mocha loading
 * files we install its globals (`pre-require`) and then evaluate them.
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // relayed through the browser console: no ANSI codes
    timeout: 60_000,
    ...(process.env.MOCHA_GREP ? { grep: process.env.MOCHA_GREP } : {}),
  });
  mocha.suite.emit('pre-require', globalThis, 'extension-suite', mocha);
  await import('./activation.test');
  await import('./chat-flow.test');
  await import('./hostile-text.test');
  await import('./editor-flaws.test');
  await import('./sessions-view.test');
  await import('./session-controls.test');
  await import('./bridge-crash.test');
  await import('./missing-codex.test');
  await import('./codex-path.test');
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
