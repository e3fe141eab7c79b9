import { once } from "node:events";
import net from "node:net";

/** Extra delay of every chunk sent through the proxy, drawn uniformly per chunk. */
export interface Latency {
  minMs: number;
  maxMs: number;
}

/**
 * A TCP proxy in front of a real server (RabbitMQ, Postgres) that can fail like the network
 * does, while the server itself keeps running for everyone else on the machine: a partition
 * drops every open connection and refuses new ones (nothing listens on the port) until it
 * heals on the same port; latency delays every chunk in both directions, in order; a hold keeps
 * back what clients send without closing anything, as a server that stopped answering would.
 * TcpProxy only drops connections, which a client survives by reconnecting at once.
 */
export class TcpFaultProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private listeningPort = 0;
  private partitioned = false;
  private latency: Latency | undefined;
  private holding = false;
  private readonly held: Array<{ to: net.Socket; chunk: Buffer }> = [];
  /** Connections dropped by partitions so far. */
  dropped = 0;

  constructor(
    readonly name: string,
    private readonly target: { host: string; port: number },
    private readonly random: () => number = Math.random,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  get port(): number {
    return this.listeningPort;
  }

  get isPartitioned(): boolean {
    return this.partitioned;
  }

  async start(): Promise<number> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.listeningPort = (this.server.address() as net.AddressInfo).port;
    return this.listeningPort;
  }

  /** Drops every open connection and stops listening, so a reconnect is refused until heal(). */
  async partition(): Promise<void> {
    if (this.partitioned) return;
    this.partitioned = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropped += this.sockets.size / 2;
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens on the same port again; clients reconnect on their own schedule. */
  async heal(): Promise<void> {
    if (!this.partitioned) return;
    this.server.listen(this.listeningPort, "127.0.0.1");
    await once(this.server, "listening");
    this.partitioned = false;
  }

  /** Delays every chunk from now on (both directions); undefined removes the delay. */
  setLatency(latency: Latency | undefined): void {
    this.latency = latency;
  }

  /** From now on, what clients send is kept back: connections stay open, and no answer comes. */
  hold(): void {
    this.holding = true;
  }

  /** Sends what was kept back, in order, and forwards as usual again. */
  release(): void {
    this.holding = false;
    for (const { to, chunk } of this.held.splice(0)) if (!to.destroyed) to.write(chunk);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (!this.partitioned) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.partitioned = true;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    client.on("data", (chunk: Buffer) => {
      if (this.holding) this.held.push({ to: upstream, chunk });
    });
    this.forward(client, upstream, () => this.holding);
    this.forward(upstream, client, () => false);
  }

  /**
   * Copies one direction. Without latency a chunk is written at once; with it, chunks wait in
   * a queue released by a single timer, so a later chunk can never overtake an earlier one.
   */
  private forward(from: net.Socket, to: net.Socket, held: () => boolean): void {
    const queue: Array<{ at: number; chunk: Buffer }> = [];
    let timer: NodeJS.Timeout | undefined;
    const release = () => {
      timer = undefined;
      const now = Date.now();
      while (queue.length > 0 && queue[0]!.at <= now) {
        const { chunk } = queue.shift()!;
        if (!to.destroyed) to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(release, queue[0]!.at - now);
      else from.resume();
    };
    from.on("data", (chunk: Buffer) => {
      if (held()) return;
      const latency = this.latency;
      if (latency === undefined && queue.length === 0) {
        if (!to.write(chunk)) {
          from.pause();
          to.once("drain", () => from.resume());
        }
        return;
      }
      const delay = latency === undefined ? 0 : latency.minMs + this.random() * (latency.maxMs - latency.minMs);
      const at = Math.max(Date.now() + delay, queue.at(-1)?.at ?? 0);
      queue.push({ at, chunk });
      // A deep queue means the far side cannot keep up with the delayed stream: stop reading until it drains.
      if (queue.length > 256) from.pause();
      timer ??= setTimeout(release, Math.max(0, at - Date.now()));
    });
    from.once("close", () => {
      if (timer) clearTimeout(timer);
    });
  }
}
