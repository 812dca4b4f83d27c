import type { Readable, Writable } from 'node:stream';
import { AbstractMessageReader, AbstractMessageWriter, Disposable, type DataCallback, type Message, type MessageReader, type MessageWriter } from 'vscode-jsonrpc/node';

/** A message the runtime sent on its own initiative: a notification or a server request. */
export interface InboundRuntimeMessage {
  method: string;
  id?: number | string;
  params?: unknown;
  [key: string]: unknown;
}

/**
 * Where messages the runtime initiates go. They bypass vscode-jsonrpc's dispatcher:
 * notifications are the hot path (tens of thousands of deltas per turn) and must keep
 * their raw line so fan-out can splice it into frames without re-serializing; server
 * requests need the runtime's JSON-RPC id, which vscode-jsonrpc hides from handlers.
 */
export interface InboundSink {
  notification(message: InboundRuntimeMessage, rawLine: string): void;
  serverRequest(message: InboundRuntimeMessage & { id: number | string }): void;
  /** A line that is not a JSON object; counted and reported, never fatal. */
  malformedLine(line: string, error: unknown): void;
}

/**
 * Reads `codex app-server` stdout: JSON-RPC 2.0 with one JSON object per line (no
 * Content-Length headers, `"jsonrpc"` omitted). Responses go to vscode-jsonrpc, which
 * correlates them with our requests; everything else goes to the sink.
 */
export class JsonlMessageReader extends AbstractMessageReader implements MessageReader {
  private buffered = '';

  constructor(private readonly input: Readable, private readonly sink: InboundSink) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.input.setEncoding('utf8');
    const onData = (chunk: string): void => this.onChunk(chunk, callback);
    const onError = (error: Error): void => this.fireError(error);
    const onClose = (): void => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('close', onClose);
    return Disposable.create(() => {
      this.input.off('data', onData);
      this.input.off('error', onError);
      this.input.off('close', onClose);
    });
  }

  private onChunk(chunk: string, callback: DataCallback): void {
    let newline = chunk.indexOf('\n');
    if (newline === -1) {
      this.buffered += chunk;
      return;
    }
    // The first line may continue what the previous chunk left over.
    let line = this.buffered + chunk.slice(0, newline);
    this.buffered = '';
    let start = newline + 1;
    for (;;) {
      this.dispatch(line, callback);
      newline = chunk.indexOf('\n', start);
      if (newline === -1) break;
      line = chunk.slice(start, newline);
      start = newline + 1;
    }
    if (start < chunk.length) this.buffered = chunk.slice(start);
  }

  private dispatch(line: string, callback: DataCallback): void {
    if (line.length === 0 || line === '\r') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.sink.malformedLine(line, error);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.sink.malformedLine(line, new Error('not a JSON object'));
      return;
    }
    const m = message as InboundRuntimeMessage;
    if (typeof m.method === 'string') {
      if (m.id === undefined || m.id === null) this.sink.notification(m, line);
      else this.sink.serverRequest(m as InboundRuntimeMessage & { id: number | string });
      return;
    }
    callback(message as Message);
  }
}

/** Writes one JSON object per line to the runtime's stdin. */
export class JsonlMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly output: Writable) {
    super();
    output.on('error', (error) => this.fireError(error));
    output.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    return this.writeLine(JSON.stringify(message));
  }

  /** Writes an already serialized message (used for answers to server requests). */
  writeLine(json: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.output.destroyed || this.output.writableEnded) {
        reject(new Error('runtime stdin is closed'));
        return;
      }
      this.output.write(json + '\n', 'utf8', (error) => {
        if (error) {
          this.errorCount++;
          this.fireError(error, undefined, this.errorCount);
          reject(error);
        } else {
          this.errorCount = 0;
          resolve();
        }
      });
    });
  }

  end(): void {
    this.output.end();
  }
}
