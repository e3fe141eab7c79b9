import http from "node:http";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { AppError } from "../errors/app-error.js";

export interface MetricsServerOptions {
  registry: Registry;
  /** METRICS_PORT; 0 takes any free port (tests, several stacks on one machine). */
  port: number;
  /** Every interface unless given: Prometheus scrapes the pod's address, not loopback. */
  host?: string;
  logger: Logger;
}

/** GET /metrics (Prometheus text format) and GET /healthz of a service that has no HTTP server of its own. */
export interface MetricsServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The bound port; only valid after start. */
  port(): number;
}

const ROUTES = new Set(["/metrics", "/healthz"]);

export function createMetricsServer({ registry, port, host, logger }: MetricsServerOptions): MetricsServer {
  const log = logger.child({ component: "metrics-server" });

  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0]!;
    if (!ROUTES.has(path)) return send(response, 404, "not found\n");
    if (request.method !== "GET") return send(response, 405, "method not allowed\n", { allow: "GET" });
    if (path === "/healthz") return send(response, 200, "ok\n");
    registry.metrics().then(
      (text) => send(response, 200, text, { "content-type": registry.contentType }),
      (error: unknown) => {
        log.error({ err: error }, "collecting metrics failed");
        send(response, 500, "collecting metrics failed\n");
      },
    );
  });
  // Prometheus keeps its connection open between scrapes; a slow or stuck client must not hold one for minutes.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  return {
    async start() {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(port, host, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (error) {
        throw new AppError("UNAVAILABLE", `cannot listen on METRICS_PORT ${port}: ${(error as Error).message}`, { cause: error });
      }
      log.info({ port: this.port() }, "metrics listening");
    },

    async stop() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A scrape cut short costs one sample; waiting for the scraper's keep-alive connection could cost the deadline.
      server.closeAllConnections();
      await closed;
    },

    port() {
      const address = server.address();
      if (address === null || typeof address === "string") throw new AppError("INTERNAL", "the metrics server is not listening");
      return address.port;
    },
  };
}

function send(response: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    ...headers,
    "content-length": String(Buffer.byteLength(body)),
  });
  response.end(body);
}
