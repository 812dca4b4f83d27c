import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { BridgeError } from '../../../protocol/errors';
import { errorReply, type OperationTable, type Reply } from '../../operations/table';
import { RouteTable } from './routes';
import { bearerFrom, hostAllowed, originAllowed, tokenMatches } from './security';

export interface HttpServerOptions {
  host: string;
  port: number;
  token: string;
  /** Host names besides loopback that may appear in Host (e.g. a reverse proxy's). */
  allowedHosts?: string[];
  /** Browser origins besides loopback that may call the API. */
  allowedOrigins?: string[];
  maxBodyBytes?: number;
}

/** Something else that wants the upgrade (the WebSocket stream), checked for auth first. */
export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The HTTP front door: a small router on node:http derived from the operation table.
 * Every request passes the Host and Origin checks and bearer auth before anything else;
 * bodies are size-limited; every answer is JSON, errors in the structured shape.
 */
export class HttpServer {
  private readonly server: http.Server;
  private readonly routes: RouteTable;
  private upgradeHandler: UpgradeHandler | undefined;

  constructor(private readonly table: OperationTable, private readonly opts: HttpServerOptions) {
    this.routes = new RouteTable(table.operations);
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket, head));
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerUnparsable(error, socket));
    this.server.keepAliveTimeout = 65_000;
  }

  onUpgrade(handler: UpgradeHandler): void {
    this.upgradeHandler = handler;
  }

  async listen(): Promise<{ host: string; port: number; url: string }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => { this.server.off('error', reject); resolve(); });
    });
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { host: address.address, port: address.port, url: `http://${host}:${address.port}` };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Returns an error reply when the request may not proceed, else undefined. */
  private gate(req: http.IncomingMessage): Reply | undefined {
    if (!hostAllowed(req.headers.host, this.opts.allowedHosts ?? [])) {
      return errorReply(new BridgeError('forbidden', 'Host not allowed: the bridge only answers to loopback names and configured hosts'));
    }
    if (!originAllowed(req.headers.origin, this.opts.allowedOrigins ?? [])) {
      return errorReply(new BridgeError('forbidden', 'Origin not allowed'));
    }
    if (!tokenMatches(bearerFrom(req.headers.authorization), this.opts.token)) {
      return errorReply(new BridgeError('unauthorized', 'missing or wrong bearer token (see the token file in the bridge data dir)'));
    }
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const refused = this.gate(req);
      if (refused) return this.send(res, refused);
      const url = new URL(req.url ?? '/', 'http://bridge');
      const match = this.routes.match(req.method ?? 'GET', url.pathname);
      if (match.kind === 'not_found') return this.send(res, errorReply(new BridgeError('not_found', `no route ${req.method} ${url.pathname}`)));
      if (match.kind === 'method_not_allowed') {
        res.setHeader('Allow', match.allowed.join(', '));
        return this.send(res, errorReply(new BridgeError('method_not_allowed', `use ${match.allowed.join(' or ')}`)));
      }
      const body = await this.readBody(req);
      const client = String(req.headers['x-codex-manager-client'] ?? 'client').slice(0, 64);
      const reply = await this.table.invoke(match.spec.id, { params: match.params, query: queryObject(url.searchParams), body }, {
        actor: `http:${client}`,
        // For the routes that authorize by request (agent extension RBAC).
        request: { headers: req.headers, remoteAddress: req.socket.remoteAddress ?? null },
      });
      this.send(res, reply);
    } catch (error) {
      this.send(res, errorReply(error instanceof BridgeError ? error : new BridgeError('internal_error', 'internal error')));
    }
  }

  private handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const refused = this.gate(req);
    if (refused || !this.upgradeHandler) {
      const status = refused?.status ?? 404;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify(refused?.body ?? { status: 'error', code: 'not_found', message: 'no such stream' })}`);
      return;
    }
    this.upgradeHandler(req, socket, head);
  }

  private readBody(req: http.IncomingMessage): Promise<unknown> {
    const limit = this.opts.maxBodyBytes ?? 1024 * 1024;
    return new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limit) {
        reject(new BridgeError('payload_too_large', `request body over ${limit} bytes`));
        drainRefusedBody(req, 0);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        if (size > limit) return;
        size += chunk.length;
        if (size > limit) {
          chunks.length = 0;
          reject(new BridgeError('payload_too_large', `request body over ${limit} bytes`));
          drainRefusedBody(req, size);
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', reject);
      req.on('end', () => {
        if (size === 0) return resolve(undefined);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(new BridgeError('invalid_request', `body is not valid JSON: ${(error as Error).message}`, { issues: [{ path: ['body'], message: 'not valid JSON' }] }));
        }
      });
    });
  }

  private send(res: http.ServerResponse, reply: Reply): void {
    if (res.headersSent) return;
    const text = JSON.stringify(reply.body ?? null);
    res.writeHead(reply.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(text);
  }
}

/** How much of a refused (413) body is read and dropped, and for how long, before the connection is cut. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 15_000;

/**
 * After a 413 the rest of the body is still on its way. Closing the socket now makes the
 * kernel reset the connection while the client is still sending, and plain clients (Node
 * fetch, Python http.client) then report EPIPE/ECONNRESET instead of reading the 413. So
 * the rest is read and dropped, up to a bound in bytes and time; a client that sends more
 * or longer than that is cut off (it is not an ordinary client).
 */
function drainRefusedBody(req: http.IncomingMessage, alreadyRead: number): void {
  let drained = alreadyRead;
  const cut = (): void => { req.socket.destroy(); };
  const timer = setTimeout(cut, DRAIN_MAX_MS);
  timer.unref();
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > DRAIN_MAX_BYTES) {
    // Answer first, then cut: waiting for more than the bound is pointless.
    req.once('close', () => clearTimeout(timer));
    setImmediate(cut);
    return;
  }
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * A request node could not parse (an unknown method, a request line or headers over its
 * limit, broken framing) still gets a structured 400 before the connection closes; only
 * a connection that is already gone is dropped without one.
 */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const what = error.code === 'HPE_HEADER_OVERFLOW' ? 'request line and headers are over the size limit' : 'malformed HTTP request';
  const { status, body } = errorReply(new BridgeError('invalid_request', what, { details: { reason: error.code ?? 'unparsable' } }));
  const text = JSON.stringify(body);
  // A response to HEAD has no body (the client would read it as garbage after the response).
  const head = (error as { rawPacket?: unknown }).rawPacket;
  const isHead = Buffer.isBuffer(head) && head.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${isHead ? '' : text}`);
}

/** Query string → object; a repeated key becomes an array. */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
