// Test entry the extension host loads (extensionTestsPath): exports run(), which resolves
// when every test passed and rejects otherwise; the workbench turns that into the exit code
// that scripts/e2e/run-extension-tests.mjs returns.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha'); // the repo's devDependency, found by walking up from here

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
