// The package.json of the `codex-manager` npm package (the CLI and the headless bridge),
// derived from the root package.json, which is the VS Code extension's manifest and private.
// Derived, not written by hand, so the version, licence and repository have one source.
//
// What the package holds: the bundles (dist/cli.js; dist/server.js, the loader of
// dist/server-main.js, which requires the editor front door's bundle only in editor mode;
// dist/extension-worker.js, the thread each agent extension runs in; dist/queue-libs.js,
// BullMQ and ioredis, read only with --redis: esbuild inlines every
// JavaScript dependency, so there are no `dependencies`), the shipped supervisor extension
// (agents/supervisor, loaded by `serve`), README, CHANGELOG, LICENSE. The
// bridge needs the `codex` runtime: the pinned @openai/codex is an *optional* dependency, so
// `npm install -g` brings the tested version along where its platform binary exists and still
// succeeds where it does not (then the bridge finds a `codex` on PATH, or says how to get one).

/** Files of the staged package, relative to the stage folder (npm's `files`). */
export const CLI_PACKAGE_FILES = [
  'dist/cli.js', 'dist/server.js', 'dist/server-main.js', 'dist/transports/editor/editor-server.js', 'dist/extension-worker.js', 'dist/queue-libs.js',
  'agents/supervisor/extension.manifest.json', 'agents/supervisor/events.mjs', 'agents/supervisor/AGENTS.md',
  'README.md', 'CHANGELOG.md', 'LICENSE',
];

/** @param {Record<string, any>} root the root package.json */
export function cliManifest(root) {
  const codex = root.devDependencies?.['@openai/codex'];
  if (!codex) throw new Error('package.json: no pinned @openai/codex in devDependencies');
  return {
    name: 'codex-manager',
    version: root.version,
    description: 'The codex-manager command: every operation of the Codex Manager bridge from the terminal, and `codex-manager serve`, a headless bridge around OpenAI\'s codex app-server.',
    license: root.license,
    author: root.author,
    repository: root.repository,
    bugs: root.bugs,
    homepage: root.homepage,
    keywords: ['codex', 'openai', 'agent', 'cli', 'codex-manager', 'app-server'],
    bin: root.bin,
    files: CLI_PACKAGE_FILES,
    engines: { node: root.engines.node },
    optionalDependencies: { '@openai/codex': codex },
  };
}
