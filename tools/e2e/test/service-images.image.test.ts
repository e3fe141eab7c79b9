import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inboundSmsFields,
  podmanLauncher,
  postSignedWebhook,
  SERVICES,
  TEST_TWILIO,
  type PodmanLauncher,
} from "@sms-todo/testkit";
import { startStack, STOPPED_CLEANLY, type Stack } from "./stack.fixture.js";

/**
 * The five services and the migration run from the images deploy/Dockerfile built (tools/images/test-images.sh builds
 * them and names them here, "{service}" standing for each service), not from this checkout's dist folders.
 */
const imagePattern = process.env.SMS_TODO_SERVICE_IMAGES ?? "";
const ALICE = "+15557770001";
const IMAGE_USER = "10001:10001";
/** The variables a service image sets itself (deploy/Dockerfile, and the stand-in base's PATH, NODE_VERSION and CA bundle). */
const IMAGE_VARIABLES = [
  "PATH",
  "NODE_VERSION",
  "NODE_EXTRA_CA_CERTS",
  "NPM_CONFIG_CAFILE",
  "NODE_ENV",
  "NODE_OPTIONS",
  "SERVICE_MAIN",
];
/** What podman adds to every container. */
const RUNTIME_VARIABLES = ["HOSTNAME", "HOME", "container", "TERM"];
/** Replies arrive later than from `node` here: each container starts cold, on a machine shared with the build. */
const REPLY_TIMEOUT_MS = 60_000;

describe("the five services run from their images", () => {
  let containers: PodmanLauncher;
  let stack: Stack | undefined;
  let stopped = false;

  beforeAll(async () => {
    if (!imagePattern.includes("{service}")) {
      throw new Error(
        "SMS_TODO_SERVICE_IMAGES must name the images, e.g. localhost/sms-todo/{service}:check: npm run test:images",
      );
    }
    containers = podmanLauncher({ image: (service) => imagePattern.replace("{service}", service) });
    try {
      stack = await startStack({ label: "images", launcher: containers.launch });
    } catch (error) {
      await containers.removeRemaining();
      throw error;
    }
  });
  afterAll(async () => {
    try {
      if (stack && !stopped) await stack.stop();
    } finally {
      await containers?.removeRemaining();
    }
  });

  it("when the stack is up, then each service runs in a container of its image as 10001:10001 on a read-only root, with the stack's variables only", async () => {
    const running = await containers.inspect();
    expect(running.map((container) => container.ImageName).sort()).toEqual(
      SERVICES.map((service) => imagePattern.replace("{service}", service)).sort(),
    );
    const stackVariables = new Set(Object.keys(stack!.variables));
    for (const container of running) {
      expect(container.Config.User, container.Name).toBe(IMAGE_USER);
      expect(container.HostConfig.ReadonlyRootfs, container.Name).toBe(true);
      const foreign = container.Config.Env.map((entry) => entry.slice(0, entry.indexOf("="))).filter(
        (name) => !stackVariables.has(name) && !IMAGE_VARIABLES.includes(name) && !RUNTIME_VARIABLES.includes(name),
      );
      expect(foreign, `${container.Name}: variables neither the stack's nor the image's`).toEqual([]);
    }
  });

  it('when a user texts "buy milk" to the ingress container, then the reply "Added #1 buy milk" reaches the Twilio stand-in', async () => {
    const response = await postSignedWebhook({
      baseUrl: stack!.ingressUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: "/webhooks/twilio/sms",
      authToken: TEST_TWILIO.authToken,
      fields: inboundSmsFields({ from: ALICE, body: "buy milk", accountSid: TEST_TWILIO.accountSid }),
    });
    expect(response.status).toBe(200);
    const [sms] = await stack!.twilio.waitForSms(ALICE, 1, REPLY_TIMEOUT_MS);
    expect(sms?.body).toContain("Added #1 buy milk");
    expect(sms?.from).toBe(TEST_TWILIO.from);
  });

  it("when every container is sent SIGTERM, then each service exits 143 and no container is left", async () => {
    stopped = true;
    const exitCodes = await stack!.stop();
    expect(exitCodes).toEqual(STOPPED_CLEANLY);
    expect(await containers.removeRemaining()).toEqual([]);
  });
});
