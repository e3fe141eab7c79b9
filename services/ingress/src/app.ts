import http from "node:http";
import { AppError, type AmqpBroker, type App, type Logger } from "@sms-todo/shared";
import { createMetricsRegistry, type Registry } from "@sms-todo/shared/metrics";
import { createRouter } from "./http/router.js";
import type { IngressConfig } from "./ingress.config.js";
import { IngressMetrics } from "./metrics/ingress.metrics.js";
import { healthzRoute, readyzRoute } from "./routes/health.route.js";
import { metricsRoute } from "./routes/metrics.route.js";
import { smsWebhookRoute } from "./routes/sms-webhook.route.js";
import { statusWebhookRoute } from "./routes/status-webhook.route.js";
import { createTwilioWebhookVerifier } from "./webhooks/twilio-webhook.verifier.js";
import { createWebhookPublisher } from "./webhooks/webhook.publisher.js";

export interface IngressDeps {
  config: IngressConfig;
  logger: Logger;
  /** Owned by the app from now on: started by start, closed by stop. */
  broker: AmqpBroker;
  /** Where GET /metrics reads from; main.ts gives one with the process metrics. A bare one of the app's own when absent. */
  metricsRegistry?: Registry;
}

export interface IngressApp extends App {
  /** The port the server listens on; only valid after start (INGRESS_PORT 0 picks a free one). */
  port(): number;
}

export function createApp({ config, logger, broker, metricsRegistry }: IngressDeps): IngressApp {
  const log = logger.child({ component: "ingress" });
  const metrics = new IngressMetrics(
    metricsRegistry ?? createMetricsRegistry({ defaultMetrics: false }),
    () => broker.isConnected,
  );
  let stopping = false;

  const webhookDeps = {
    verify: createTwilioWebhookVerifier({
      publicBaseUrl: config.PUBLIC_BASE_URL,
      authToken: config.TWILIO_AUTH_TOKEN,
      accountSid: config.TWILIO_ACCOUNT_SID,
    }),
    publisher: createWebhookPublisher(broker),
    metrics,
    logger: logger.child({ component: "webhooks" }),
  };
  const dispatch = createRouter(
    [
      smsWebhookRoute(webhookDeps),
      statusWebhookRoute(webhookDeps),
      healthzRoute(),
      readyzRoute(() => !stopping && broker.isConnected),
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
      await broker.start();
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(config.INGRESS_PORT, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (error) {
        await broker.close();
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
      await broker.close();
      log.info("ingress stopped");
    },
  };
}
