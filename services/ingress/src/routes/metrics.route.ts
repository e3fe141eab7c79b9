import { sendResponse } from "../http/response.writer.js";
import type { Route } from "../http/router.js";
import type { IngressMetrics } from "../metrics/ingress.metrics.js";

export function metricsRoute(metrics: IngressMetrics, brokerConnected: () => boolean): Route {
  return {
    method: "GET",
    path: "/metrics",
    name: "metrics",
    async handle(_request, response) {
      sendResponse(response, 200, metrics.render(brokerConnected()), "text/plain; version=0.0.4; charset=utf-8");
    },
  };
}
