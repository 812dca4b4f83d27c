import * as vscode from 'vscode';

/**
 * The Settings editor at one setting. Machine-scoped settings such as `codexPath` live in
 * the Remote tab of a remote window (SSH, WSL, containers, code-server): the User tab
 * would show an empty page there, so a remote window opens the Remote settings instead.
 */
export async function openSetting(key: string): Promise<void> {
  if (vscode.env.remoteName) {
    await vscode.commands.executeCommand('workbench.action.openRemoteSettings', { query: key });
  } else {
    await vscode.commands.executeCommand('workbench.action.openSettings', key);
  }
}
