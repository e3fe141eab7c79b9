import { sendResponse } from "../http/response.writer.js";
import type { Route } from "../http/router.js";
import type { IngressMetrics } from "../metrics/ingress.metrics.js";

export function metricsRoute(metrics: IngressMetrics): Route {
  return {
    method: "GET",
    path: "/metrics",
    name: "metrics",
    async handle(_request, response) {
      sendResponse(response, 200, await metrics.render(), metrics.contentType);
    },
  };
}
