// Preloaded (node --require) into code-server 4.93.1, the harness's oldest workbench (VS Code
// 1.93.1). Its command line has no way to reach VS Code's --enable-smoke-test-driver (newer
// code-server forwards it with --vscode-option), and without that flag the workbench ignores
// the `payload` URL parameter that runs extension tests. code-server hands every parsed
// option to VS Code's server as is, so declaring the option is all it takes.
const path = require('node:path');

const entry = process.argv.find((a) => a.endsWith(path.join('out', 'node', 'entry.js')));
if (entry) {
  const cli = require(path.join(path.dirname(entry), 'cli.js'));
  cli.options['enable-smoke-test-driver'] ??= { type: 'boolean', description: 'VS Code smoke-test driver (e2e harness)' };
}
