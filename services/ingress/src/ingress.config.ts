import { z } from "zod";
import { commonConfig, loadConfig, optionalVar, portVar, urlVar } from "@sms-todo/shared";

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

export const ingressConfigSchema = z.object({
  // Twilio signs the URL it was configured with, so this must be exactly that origin (and path prefix, if any).
  PUBLIC_BASE_URL: urlVar("http://localhost:3000", ["http:", "https:"])
    .refine((value) => {
      const url = new URL(value);
      return url.search === "" && url.hash === "";
    }, "must not carry a query string or fragment")
    .transform((value) => value.replace(/\/+$/, "")),
  INGRESS_PORT: portVar(3000),
  TWILIO_ACCOUNT_SID: optionalVar().refine(
    (value) => value === undefined || ACCOUNT_SID.test(value),
    "must be AC followed by 32 hex digits",
  ),
  TWILIO_AUTH_TOKEN: optionalVar(),
  ...commonConfig,
});

export type IngressConfig = Readonly<z.infer<typeof ingressConfigSchema>>;

export function loadIngressConfig(env: NodeJS.ProcessEnv): IngressConfig {
  return loadConfig(ingressConfigSchema, env);
}
