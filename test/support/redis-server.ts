/**
 * A real `redis-server` (the Debian package; scripts/setup-redis.sh installs it) on a free
 * loopback port, without persistence, for the BullMQ engine's tests. `stop()`/`start()`
 * on the same port simulate Redis going away and coming back.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (b) => { socket.destroy(); resolve(b.toString().startsWith('+PONG')); });
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      // Already running: starting again would spawn a second server that cannot bind the
      // port, and the running one would no longer be tracked (nor stopped).
      if (child && child.exitCode === null) return;
      const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
      child = c;
      // Never what keeps the test process alive (mocha waits for every handle to close)...
      c.unref();
      // ...and a test process that exits without its after hooks must not leave it behind.
      const reap = () => { if (c.exitCode === null) c.kill('SIGKILL'); };
      process.once('exit', reap);
      c.once('exit', () => process.removeListener('exit', reap));
      const t0 = Date.now();
      while (!(await answersPing(port))) {
        if (Date.now() - t0 > 10_000 || c.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
  };
  await server.start();
  return server;
}
