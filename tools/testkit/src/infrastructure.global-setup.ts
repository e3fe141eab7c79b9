import { assertInfrastructureReachable } from "./infrastructure.js";

/** Runs once before the integration and end-to-end tests: fail, never skip, without the infrastructure. */
export default async function setup(): Promise<void> {
  await assertInfrastructureReachable();
}
