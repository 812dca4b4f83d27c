// Test entry the extension host loads (extensionTestsPath): exports run(), which resolves
// when every test passed and rejects otherwise; the workbench turns that into the exit code
// that scripts/e2e/run-extension-tests.mjs returns.
const fs = require('fs');
const path = require('path');
// The repo's devDependency, found by walking up from here. mocha 12 is an ES module: a
// require() of it gives the class on Node 24 (VS Code 1.139's host) and the module namespace
// on Node 20 (VS Code 1.93's host, the oldest the harness runs).
const mochaModule = require('mocha');
const Mocha = typeof mochaModule === 'function' ? mochaModule : mochaModule.Mocha ?? mochaModule.default;

function run() {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // the output is relayed through the browser console: no ANSI codes
    timeout: 20000,
    grep: process.env.MOCHA_GREP || undefined,
  });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

module.exports = { run };
