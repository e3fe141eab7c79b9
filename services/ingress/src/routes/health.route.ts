import { sendText } from "../http/response.writer.js";
import type { Route } from "../http/router.js";

/** Liveness: the process answers, nothing more; a broker outage must not get the pod restarted. */
export function healthzRoute(): Route {
  return {
    method: "GET",
    path: "/healthz",
    name: "healthz",
    async handle(_request, response) {
      sendText(response, 200, "ok");
    },
  };
}

/** Readiness: only take webhooks while they can be published. */
export function readyzRoute(isReady: () => boolean): Route {
  return {
    method: "GET",
    path: "/readyz",
    name: "readyz",
    async handle(_request, response) {
      if (isReady()) sendText(response, 200, "ready");
      else sendText(response, 503, "not ready");
    },
  };
}
