import net from 'node:net';

/*
 * A TCP proxy that can be unplugged and plugged back in on the same port,
 * to cut a service off from its database for real (no mocks).
 * - `stop()`: stop listening and destroy every open socket, both sides:
 *   connections drop and new ones are refused (ECONNREFUSED).
 * - `blackhole()`: keep listening but forward nothing: connections hang.
 * - `start()`: listen again on the same port and forward.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'forward' | 'blackhole' = 'forward';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get connections(): number {
    return this.sockets.size;
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  async start(): Promise<number> {
    if (this.server) return this.port;
    this.mode = 'forward';
    const server = net.createServer((client) => {
      this.track(client);
      if (this.mode === 'blackhole') return; // accept, then say nothing
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Unplugs: no listener, every connection destroyed. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Existing connections are destroyed; new ones are accepted and then ignored. */
  async blackhole(): Promise<void> {
    await this.start();
    this.mode = 'blackhole';
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
