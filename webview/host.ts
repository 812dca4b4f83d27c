import { FromWebviewSchema, type FromWebview, type ToWebview, type WebviewRequest } from '../protocol/webview';
import { parseHostMessage } from './validate';

/** What VS Code's `acquireVsCodeApi()` returns (declared here: the webview has no @types/vscode). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export type HostMessage = Exclude<ToWebview, { type: 'response' }>;
export type Method = WebviewRequest['method'];
export type ParamsOf<M extends Method> = Extract<WebviewRequest, { method: M }>['params'];

interface Waiting {
  method: Method;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class RequestError extends Error {
  constructor(readonly method: Method, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/**
 * The webview's side of the postMessage protocol: typed requests with ids, answered by
 * the host's `response` of the same id or failed after a timeout (a host that never
 * answers must not leave a button spinning forever), and everything else the host sends,
 * validated with the shared zod schemas before anyone sees it.
 */
export class Host {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly onWindowMessage = (event: MessageEvent): void => this.receive(event.data, event.timeStamp);

  constructor(
    private readonly api: VsCodeApi,
    private readonly onMessage: (message: HostMessage) => void,
    private readonly timeoutMs = 30_000,
  ) {
    window.addEventListener('message', this.onWindowMessage);
  }

  /** Tells the host the webview is listening; it answers with `state`. */
  ready(): void {
    this.post({ type: 'ready' });
  }

  request<M extends Method>(method: M, params: ParamsOf<M>, timeoutMs = this.timeoutMs): Promise<unknown> {
    const id = this.nextId++;
    const message = { type: 'request', id, request: { method, params } } as FromWebview;
    const checked = FromWebviewSchema.safeParse(message);
    if (!checked.success) return Promise.reject(new RequestError(method, `invalid ${method} request: ${checked.error.issues[0]?.message ?? 'bad params'}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new RequestError(method, `${method} timed out after ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.waiting.set(id, { method, resolve, reject, timer });
      this.post(checked.data);
    });
  }

  /** UI state VS Code keeps while the webview is hidden or reloaded (draft text, scroll). */
  loadViewState<T extends object>(): Partial<T> {
    const state = this.api.getState();
    return state && typeof state === 'object' ? (state as Partial<T>) : {};
  }

  saveViewState(patch: Record<string, unknown>): void {
    this.api.setState({ ...this.loadViewState(), ...patch });
  }

  dispose(): void {
    window.removeEventListener('message', this.onWindowMessage);
    for (const [id, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(new RequestError(waiting.method, 'the webview is closing'));
      this.waiting.delete(id);
    }
  }

  private post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  private receive(data: unknown, receivedAt: number): void {
    const message = parseHostMessage(data);
    if (!message) {
      // Not ours (VS Code and extensions post other things into webviews) or malformed: never act on it.
      if (data && typeof data === 'object' && 'type' in data) console.warn('codex webview: ignored an invalid host message');
      return;
    }
    if (message.type === 'state') {
      // Deserializing and validating a state (10k items in a long session) is worth watching;
      // one entry is kept, so the performance timeline never grows.
      performance.clearMeasures('codex:receive');
      performance.measure('codex:receive', { start: receivedAt, end: performance.now() });
    }
    if (message.type !== 'response') {
      this.onMessage(message);
      return;
    }
    const waiting = this.waiting.get(message.id);
    if (!waiting) return; // answered after its timeout
    this.waiting.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new RequestError(waiting.method, message.error ?? `${waiting.method} failed`));
  }
}
