import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Counter } from "prom-client";
import { createMetricsRegistry } from "../src/metrics/metrics.registry.js";
import { createMetricsServer, type MetricsServer } from "../src/metrics/metrics.server.js";

const logger = pino({ level: "silent" });
const started: MetricsServer[] = [];

async function startServer(port = 0): Promise<{ server: MetricsServer; url: string; counter: Counter }> {
  const registry = createMetricsRegistry({ defaultMetrics: false });
  const counter = new Counter({ name: "test_events_total", help: "Events of the test.", registers: [registry] });
  const server = createMetricsServer({ registry, port, host: "127.0.0.1", logger });
  await server.start();
  started.push(server);
  return { server, url: `http://127.0.0.1:${server.port()}`, counter };
}

/** One request on a keep-alive agent, so the connection stays open after the answer. */
function requestKeptAlive(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

describe("the metrics server", () => {
  it("when GET /metrics is requested, then it answers the registry in the Prometheus text format", async () => {
    const { url, counter } = await startServer();
    counter.inc(3);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("# TYPE test_events_total counter");
    expect(text).toMatch(/^test_events_total 3$/m);
  });

  it("when the registry collects default metrics, then the process metrics are served too", async () => {
    const registry = createMetricsRegistry();
    const server = createMetricsServer({ registry, port: 0, host: "127.0.0.1", logger });
    await server.start();
    started.push(server);
    const text = await (await fetch(`http://127.0.0.1:${server.port()}/metrics`)).text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it("when GET /healthz is requested, then it answers ok", async () => {
    const { url } = await startServer();
    const response = await fetch(`${url}/healthz?probe=1`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  it("when another path or method is requested, then it answers 404 or 405", async () => {
    const { url } = await startServer();
    expect((await fetch(`${url}/readyz`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("when collecting fails, then it answers 500 and keeps serving", async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    let fail = true;
    new Counter({
      name: "test_flaky_total",
      help: "Fails to collect once.",
      registers: [registry],
      collect() {
        if (fail) {
          fail = false;
          throw new Error("collector broke");
        }
      },
    });
    const server = createMetricsServer({ registry, port: 0, host: "127.0.0.1", logger });
    await server.start();
    started.push(server);
    const url = `http://127.0.0.1:${server.port()}/metrics`;
    expect((await fetch(url)).status).toBe(500);
    expect((await fetch(url)).status).toBe(200);
  });

  it("when stopped with a scraper's connection still open, then stop resolves and the port is released", async () => {
    const { server, url } = await startServer();
    const port = server.port();
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect(await requestKeptAlive(`${url}/metrics`, agent)).toBe(200);
      await server.stop();
    } finally {
      agent.destroy();
    }
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // The same port can be bound again at once.
    const again = await startServer(port);
    expect(again.server.port()).toBe(port);
  });

  it("when the port is taken, then start fails naming METRICS_PORT", async () => {
    const { server } = await startServer();
    const clash = createMetricsServer({
      registry: createMetricsRegistry({ defaultMetrics: false }),
      port: server.port(),
      host: "127.0.0.1",
      logger,
    });
    await expect(clash.start()).rejects.toThrow(new RegExp(`cannot listen on METRICS_PORT ${server.port()}`));
    await clash.stop();
  });
});
