import http from "node:http";
import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import { AppError, type AmqpBroker, type App, type Logger } from "@sms-todo/shared";
import { createMetricsRegistry, type Registry } from "@sms-todo/shared/metrics";
import { createRouter } from "./http/router.js";
import type { IngressConfig } from "./ingress.config.js";
import { IngressMetrics } from "./metrics/ingress.metrics.js";
import { healthzRoute, readyzRoute } from "./routes/health.route.js";
import { metricsRoute } from "./routes/metrics.route.js";
import { smsWebhookRoute } from "./routes/sms-webhook.route.js";
import { statusWebhookRoute } from "./routes/status-webhook.route.js";
import { createInboundRateLimiter } from "./rate-limit/inbound-rate.limiter.js";
import { createSpoolRelay } from "./spool/spool.relay.js";
import type { SpoolSchema } from "./spool/spool.schema.js";
import { SpoolState } from "./spool/spool.state.js";
import { createTwilioWebhookVerifier } from "./webhooks/twilio-webhook.verifier.js";
import { createWebhookPublisher } from "./webhooks/webhook.publisher.js";

export interface IngressDeps {
  config: IngressConfig;
  logger: Logger;
  /** Owned by the app from now on: started by start, closed by stop. */
  broker: AmqpBroker;
  /** Ingress's own spool database (SPOOL_DATABASE_URL). Owned by the app: migrated by start, destroyed by stop. */
  spoolDb: Kysely<SpoolSchema>;
  /** Redis of the per-number rate limit, made with RATE_LIMIT_REDIS_OPTIONS. Owned by the app: connected by start, quit by stop. */
  redis: Redis;
  /** How often the spool relay looks without being woken; 1 s when absent. */
  spoolPollIntervalMs?: number;
  /** Where GET /metrics reads from; the composition gives one with the process metrics. A bare one of the app's own when absent. */
  metricsRegistry?: Registry;
}

export interface IngressApp extends App {
  /** The port the server listens on; only valid after start (INGRESS_PORT 0 picks a free one). */
  port(): number;
}

export function createApp(deps: IngressDeps): IngressApp {
  const { config, logger, broker, spoolDb, redis } = deps;
  const log = logger.child({ component: "ingress" });
  const spoolState = new SpoolState();
  const metrics = new IngressMetrics(
    deps.metricsRegistry ?? createMetricsRegistry({ defaultMetrics: false }),
    () => broker.isConnected,
    () => spoolState.reachable,
  );
  const relay = createSpoolRelay({
    db: spoolDb,
    databaseUrl: config.SPOOL_DATABASE_URL,
    broker,
    state: spoolState,
    metrics,
    logger,
    pollIntervalMs: deps.spoolPollIntervalMs,
  });
  // Without a listener ioredis prints connection errors to the console itself, unmasked; the rate limiter logs the outage.
  redis.on("error", () => undefined);
  let stopping = false;

  const webhookDeps = {
    verify: createTwilioWebhookVerifier({
      publicBaseUrl: config.PUBLIC_BASE_URL,
      authToken: config.TWILIO_AUTH_TOKEN,
      accountSid: config.TWILIO_ACCOUNT_SID,
    }),
    publisher: createWebhookPublisher({
      broker,
      spool: spoolDb,
      state: spoolState,
      spoolAfterMs: config.SPOOL_AFTER_MS,
      onSpooled: () => relay.wake(),
    }),
    rateLimiter: createInboundRateLimiter(redis, {
      limit: config.RATE_LIMIT_MESSAGES,
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      keyPrefix: `${config.SMS_TODO_NAMESPACE}sms-todo:`,
      logger,
      onUnavailable: () => metrics.countRateLimitUnavailable(),
    }),
    metrics,
    logger: logger.child({ component: "webhooks" }),
  };
  const dispatch = createRouter(
    [
      smsWebhookRoute(webhookDeps),
      statusWebhookRoute(webhookDeps),
      healthzRoute(),
      // A pod whose broker is down still takes webhooks while it can spool them.
      readyzRoute(() => !stopping && (broker.isConnected || spoolState.reachable)),
      metricsRoute(metrics),
    ],
    logger.child({ component: "http" }),
    metrics,
  );

  const inFlight = new Set<Promise<void>>();
  const server = http.createServer((request, response) => {
    if (stopping) response.setHeader("connection", "close");
    const work = dispatch(request, response).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  // A client that trickles its upload must not hold a connection for Node's default five minutes.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  return {
    port() {
      const address = server.address();
      if (address === null || typeof address === "string") throw new AppError("INTERNAL", "ingress is not listening");
      return address.port;
    },

    async start() {
      if (!config.TWILIO_AUTH_TOKEN)
        log.warn("TWILIO_AUTH_TOKEN is not set: signatures cannot be checked, every webhook is answered 403");
      // The rate limit fails open, so ingress starts without Redis and the client keeps reconnecting.
      await redis
        .connect()
        .catch((error: unknown) =>
          log.warn({ err: error }, "Redis unreachable at start, the rate limit is off until it answers"),
        );
      try {
        await broker.start();
      } catch (error) {
        redis.disconnect();
        await spoolDb.destroy();
        throw error;
      }
      // Migrates the spool and counts what a previous process left in it, before the first webhook.
      await relay.start();
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(config.INGRESS_PORT, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (error) {
        await relay.stop();
        await broker.close();
        await spoolDb.destroy();
        redis.disconnect();
        throw new AppError("UNAVAILABLE", `cannot listen on port ${config.INGRESS_PORT}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      log.info({ port: this.port(), publicBaseUrl: config.PUBLIC_BASE_URL }, "ingress listening");
    },

    async stop() {
      if (stopping) return;
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests that arrived before the close still get their answer (and their publish confirm).
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      // What is left are idle keep-alive connections or requests whose headers never completed.
      server.closeAllConnections();
      await closed;
      // Rows still spooled stay for the next process or another replica.
      await relay.stop();
      await broker.close();
      await spoolDb.destroy();
      // Nothing of the rate limit waits to be written; quit would wait for a Redis that may be gone.
      redis.disconnect();
      log.info("ingress stopped");
    },
  };
}
