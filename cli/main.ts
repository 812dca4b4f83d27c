import path from 'node:path';

/**
 * The `codex-manager` command. `serve` runs the bridge (bundled separately in
 * dist/server.js, loaded only for this command so every other command starts fast).
 */
const HELP = `codex-manager: the Codex Manager bridge and its clients

Usage:
  codex-manager serve [options]   run the bridge headless (see: codex-manager serve --help)
  codex-manager --version
`;

async function run(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === 'serve') {
    // A runtime require of the sibling bundle, on purpose: esbuild must not inline the bridge here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = require(path.join(__dirname, 'server.js')) as { main(argv: string[]): Promise<number> };
    return server.main(argv);
  }
  if (command === '--version' || command === '-v') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    process.stdout.write(`${require(path.join(__dirname, '..', 'package.json')).version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  process.stderr.write(`codex-manager: unknown command ${command}\n\n${HELP}`);
  return 2;
}

run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`codex-manager: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
