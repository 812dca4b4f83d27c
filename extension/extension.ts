import * as vscode from 'vscode';
import { ActivityTree } from './activity/activity-tree';
import type { Core, createCore } from './core';
import { ACTIVITY_VIEW, CHAT_VIEW, COMMANDS, LENS_COMMANDS } from './ids';
import type { CodexManagerApi } from './shell';
import { CodexStatusBar } from './status-bar';

/**
 * When this bundle started to evaluate: scripts/build.mjs puts `__codexLoadStart` in a
 * banner at the very top, before the bundled modules this file imports.
 */
declare const __codexLoadStart: number | undefined;
const loadStart = typeof __codexLoadStart === 'number' ? __codexLoadStart : performance.now();

/** Commands whose work lives in the core; registered here as proxies that load it. */
const CORE_COMMANDS = [
  COMMANDS.newSession, COMMANDS.sendMessage, COMMANDS.sendSelection, COMMANDS.interrupt, COMMANDS.restartRuntime,
  COMMANDS.cancelJob, COMMANDS.suggestReply,
  ...Object.values(LENS_COMMANDS),
];

/**
 * Activation (on the Codex views or a Codex command): register the views, commands and
 * the status bar, nothing more. The language client, zod and the bridge process come
 * with the core (dist/extension-core.js), loaded when a view or command first needs it.
 */
export function activate(context: vscode.ExtensionContext): CodexManagerApi {
  const activateStart = performance.now();
  const output = vscode.window.createOutputChannel('Codex Manager', { log: true });
  const statusBar = new CodexStatusBar();
  const activity = new ActivityTree();
  const activityView = vscode.window.createTreeView(ACTIVITY_VIEW, { treeDataProvider: activity, showCollapseAll: true });
  activity.attach(activityView);

  let core: Core | undefined;
  const loadCore = (): Core => {
    if (!core) {
      const t0 = performance.now();
      // A separate bundle on purpose: an import would inline it (and its ~1 MiB) into this file.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const coreModule = require(context.asAbsolutePath('dist/extension-core.js')) as { createCore: typeof createCore };
      core = coreModule.createCore(context, { output, statusBar, activity });
      output.info(`core loaded in ${(performance.now() - t0).toFixed(1)} ms`);
    }
    return core;
  };
  const startCore = (): Core => {
    const c = loadCore();
    void c.start();
    return c;
  };

  context.subscriptions.push(
    output, statusBar, activity, activityView,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW, {
      resolveWebviewView: (view, ctx, token) => startCore().chatView.resolveWebviewView(view, ctx, token),
    }),
    activityView.onDidChangeVisibility((e) => { if (e.visible) setTimeout(startCore, 0); }),
    ...CORE_COMMANDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => startCore().commands[id]?.(...args))),
    vscode.commands.registerCommand(COMMANDS.showLog, () => output.show(true)),
    vscode.commands.registerCommand(COMMANDS.showChat, () => vscode.commands.executeCommand(`${CHAT_VIEW}.focus`)),
    { dispose: () => core?.dispose() },
  );
  // Activated by the tree being shown: start after activation returns, not during it.
  if (activityView.visible) setTimeout(startCore, 0);

  // Our share of activation: evaluating this bundle plus the activate() call. (VS Code may
  // wait between the two; that wait is not ours.)
  const activationMs = (moduleEvaluatedAt - loadStart) + (performance.now() - activateStart);
  output.info(`activated in ${activationMs.toFixed(1)} ms (bundle evaluation ${(moduleEvaluatedAt - loadStart).toFixed(1)} ms)`);
  return {
    activationMs,
    call: (operationId, input) => startCore().api.call(operationId, input),
    onEvent: (listener) => loadCore().api.onEvent(listener),
    activeSessionId: () => loadCore().api.activeSessionId(),
  };
}

export function deactivate(): void {
  // Everything, the bridge included, is disposed through context.subscriptions.
}

/** Last statement of the module: the bundle has been evaluated. */
const moduleEvaluatedAt = performance.now();
