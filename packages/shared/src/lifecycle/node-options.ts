/**
 * V8 flags every service process runs with. `npm start` and the stacks of the end-to-end tests, the
 * bench and the chaos suite add them to NODE_OPTIONS; deploy/Dockerfile and the Kubernetes manifests
 * write them out, and deploy-checks holds those to this list.
 *
 * --max-semi-space-size=1 (MB): V8's young generation otherwise grows towards 16 MB per semi-space
 * while a service loads and stays there, which put todo-domain and ingress above 90 MB RSS idle;
 * it also caps the young generation's growth under load, at some CPU for more frequent scavenges
 * (docs/performance.md has both measured).
 */
export const SERVICE_V8_FLAGS: readonly string[] = ["--max-semi-space-size=1"];

/** NODE_OPTIONS for a service process: what the variable held already, then the service flags. */
export function withServiceV8Flags(nodeOptions: string | undefined): string {
  return [nodeOptions ?? "", ...SERVICE_V8_FLAGS].join(" ").trim();
}
