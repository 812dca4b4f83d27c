import type { Bridge } from '../bridge';
import { HttpServer, type HttpServerOptions } from './http/http-server';
import { StreamServer, type StreamServerOptions } from './ws/stream-server';

export interface ApiServer {
  url: string;
  http: HttpServer;
  stream: StreamServer;
  close(): Promise<void>;
}

/** The bridge's network front doors: the HTTP API and, on the same port, the WebSocket stream. */
export async function startApiServer(bridge: Bridge, opts: HttpServerOptions & { stream?: StreamServerOptions }): Promise<ApiServer> {
  const http = new HttpServer(bridge.operations, opts);
  const stream = new StreamServer(bridge.events, (threadId) => {
    const meta = bridge.services.sessionIndex.get(threadId);
    return meta ? { id: meta.sessionId, title: meta.title, projectId: meta.projectId } : null;
  }, opts.stream);
  http.onUpgrade((req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://bridge').pathname.replace(/\/$/, '') === '/api/stream') stream.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  const { url } = await http.listen();
  return {
    url, http, stream,
    async close() {
      await stream.close();
      await http.close();
    },
  };
}
