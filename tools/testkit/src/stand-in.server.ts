import { once } from "node:events";
import type http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The lifecycle every HTTP stand-in shares: listen on loopback (port 0 unless told), and on
 * stop end the answers a test told to hang, drop kept-alive connections and close.
 */
export class StandInServer {
  /** Responses held open on purpose (a "hang" answer); ended on stop. */
  readonly hanging = new Set<http.ServerResponse>();

  constructor(private readonly server: http.Server) {}

  /** Starts listening; resolves with the origin, e.g. "http://127.0.0.1:41234". */
  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    this.server.listen(port, host);
    await once(this.server, "listening");
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
