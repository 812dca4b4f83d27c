// The chat webview's entry point (bundled to dist/webview.js + dist/webview.css).
import '@vscode/codicons/dist/codicon.css';
import './styles.css';
import './zod-config'; // first: before protocol/webview.ts builds its schemas
import { App } from './app';
import type { VsCodeApi } from './host';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('app') ?? document.body;
new App(acquireVsCodeApi(), root).start();
