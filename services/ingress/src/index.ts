export { createApp, type IngressApp, type IngressDeps } from "./app.js";
export { composeIngress, type IngressOverrides } from "./ingress.composition.js";
export { loadIngressConfig, ingressConfigSchema, type IngressConfig } from "./ingress.config.js";
export { EMPTY_TWIML } from "./routes/sms-webhook.route.js";
export { RATE_LIMIT_REDIS_OPTIONS } from "./rate-limit/inbound-rate.limiter.js";
export { spoolMigrations } from "./spool/spool.migrations.js";
export type { SpoolSchema } from "./spool/spool.schema.js";
