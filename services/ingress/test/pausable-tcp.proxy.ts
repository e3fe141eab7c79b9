import net from "node:net";
import { once } from "node:events";

/**
 * A TCP proxy that can fail the ways a broker does, on a port that stays the same, so the
 * client's URL keeps working once the outage ends. testkit's TcpProxy cuts connections but
 * accepts new ones at once and cannot come back on its port; this one can also refuse
 * connections (down/up) and swallow traffic without closing anything (hold/release), as a
 * broker that stopped answering would.
 */
export class PausableTcpProxy {
  private server: net.Server | undefined;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket; held: Buffer[] }>();
  private holding = false;
  private listeningPort = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return this.listeningPort;
  }

  /** Listens on a free port the first time, and on that same port again after down(). */
  async up(): Promise<number> {
    const server = net.createServer((client) => this.connect(client));
    server.listen(this.listeningPort, "127.0.0.1");
    await once(server, "listening");
    this.server = server;
    this.listeningPort = (server.address() as net.AddressInfo).port;
    return this.listeningPort;
  }

  /** Closes every connection and refuses new ones until up(). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on, what clients send is kept back: connections stay open, and nothing the server would answer comes. */
  hold(): void {
    this.holding = true;
  }

  /** Sends what was kept back, in order, and forwards as usual again. */
  release(): void {
    this.holding = false;
    for (const pair of this.pairs) {
      for (const chunk of pair.held.splice(0)) pair.upstream.write(chunk);
    }
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.target);
    const pair = { client, upstream, held: [] as Buffer[] };
    this.pairs.add(pair);
    for (const socket of [client, upstream]) {
      socket.on("error", () => socket.destroy());
      socket.once("close", () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      });
    }
    client.on("data", (chunk: Buffer) => {
      if (this.holding) pair.held.push(chunk);
      else upstream.write(chunk);
    });
    upstream.pipe(client);
  }
}
