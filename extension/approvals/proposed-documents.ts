import * as vscode from 'vscode';
import { PROPOSED_SCHEME } from '../ids';

/**
 * Read-only virtual documents holding a file's content as an approval proposes it: the
 * right side of the native diff editor. The content is fetched from the bridge before the
 * diff opens and kept here, keyed by URI, so VS Code can ask for it synchronously.
 */
export class ProposedDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this);
  private readonly closing = vscode.workspace.onDidCloseTextDocument((doc) => {
    if (doc.uri.scheme === PROPOSED_SCHEME) this.contents.delete(doc.uri.toString());
  });

  /**
   * A URI for one version of `file`: `ref` names what it comes from (an approval id, or
   * `item:<id>` for a change in the transcript), `side` which version it is.
   */
  put(file: vscode.Uri, ref: string, side: 'proposed' | 'original', content: string): vscode.Uri {
    // Same path (so the editor picks the file's language), the rest in the query.
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: file.path, query: new URLSearchParams({ ref, side }).toString() });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '(this proposal is no longer available)';
  }

  dispose(): void {
    this.registration.dispose();
    this.closing.dispose();
    this.changed.dispose();
    this.contents.clear();
  }
}
