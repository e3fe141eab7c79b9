export { createApp, type IngressApp, type IngressDeps } from "./app.js";
export { loadIngressConfig, ingressConfigSchema, type IngressConfig } from "./ingress.config.js";
export { EMPTY_TWIML } from "./routes/sms-webhook.route.js";
