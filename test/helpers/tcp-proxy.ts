import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of one host:port, for outage tests: `drop()` closes
 * every connection through it and refuses new ones (the port stops
 * listening, so clients see ECONNREFUSED), `restore()` listens again on the
 * same port, `cut()` only closes the open connections. Hand-written on node:net: a test needs exactly these two
 * switches and nothing a proxy library adds.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private listeningPort = 0;
  private sent = 0;

  public constructor(private readonly target: { host: string; port: number }) {}

  /** The port clients connect to (fixed after the first start, so URLs stay valid across drops). */
  public get port(): number {
    return this.listeningPort;
  }

  /** Bytes clients have sent through the proxy so far: growing means they are using the target (queries, requests). */
  public get bytesFromClients(): number {
    return this.sent;
  }

  /** Connections through the proxy at the moment. */
  public get openConnections(): number {
    return this.sockets.size / 2;
  }

  /** Starts listening on 127.0.0.1, on a free port the first time. */
  public async start(): Promise<this> {
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listeningPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.listeningPort = (server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  /** Cuts every open connection at once but keeps accepting new ones: a blip that only the established connections see. */
  public cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Cuts every connection and refuses new ones until {@link restore}. */
  public async drop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepts connections again, on the same port. */
  public async restore(): Promise<void> {
    if (!this.server) await this.start();
  }

  /** Stops for good. */
  public async close(): Promise<void> {
    await this.drop();
  }

  private pipe(client: Socket): void {
    const upstream = createConnection(this.target);
    client.on('data', (chunk: Buffer) => (this.sent += chunk.length));
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        other.destroy();
      });
      socket.pipe(other);
    }
  }
}
