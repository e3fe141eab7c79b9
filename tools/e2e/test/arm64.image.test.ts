import { readFile, readlink } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CleanupRegistry, podmanLauncher, startIsolatedIngress } from "@sms-todo/testkit";
import { EXIT_AFTER_SIGNAL } from "@sms-todo/shared";

/**
 * The arm64 variant of the ingress image (tools/images/test-images.sh builds it and names it here) on this amd64
 * machine: every arm64 program in the container, node and the shell of its CMD, runs under QEMU's user-mode emulator,
 * which binfmt_misc starts for it (tools/images/arm64-emulation.sh), as the CPU that QEMU_CPU names.
 */
const image = process.env.SMS_TODO_ARM64_IMAGE ?? "";
const QEMU = "/usr/bin/qemu-aarch64-static";
/** QEMU's models of the Pis' CPUs: ARMv8.0-A without and ARMv8.2-A with dot product and FP16 arithmetic. */
const PI_CPUS = [
  { cpu: "cortex-a72", board: "Raspberry Pi 4" },
  { cpu: "cortex-a76", board: "Raspberry Pi 5" },
];
/** Emulated, node starts many times slower than natively, and the machine has two cores. */
const START_UNDER_QEMU_MS = 240_000;

describe("the arm64 ingress image under QEMU", () => {
  for (const { cpu, board } of PI_CPUS) {
    it(`when the arm64 ingress image runs on an emulated ${cpu} (${board}), then /healthz answers 200 and SIGTERM stops it with 143`, async () => {
      if (!image) throw new Error("SMS_TODO_ARM64_IMAGE must name the arm64 ingress image: npm run test:images");
      const cleanup = new CleanupRegistry();
      const containers = podmanLauncher({ image: () => image, runOptions: ["--arch", "arm64", "--env", `QEMU_CPU=${cpu}`] });
      try {
        const ingress = await startIsolatedIngress(
          cleanup,
          "info",
          {},
          { label: "arm64", launcher: containers.launch, startTimeoutMs: START_UNDER_QEMU_MS },
        );
        const [container] = await containers.inspect();
        // PID 1 of the container is node, run by the emulator as the CPU asked for.
        expect(await readlink(`/proc/${container!.State.Pid}/exe`)).toBe(QEMU);
        const environ = (await readFile(`/proc/${container!.State.Pid}/environ`, "utf8")).split("\0");
        expect(environ).toContain(`QEMU_CPU=${cpu}`);
        const health = await fetch(`${ingress.origin}/healthz`);
        expect(health.status).toBe(200);
        expect(await ingress.stop()).toBe(EXIT_AFTER_SIGNAL.SIGTERM);
      } finally {
        const failures = await cleanup.runAll();
        await containers.removeRemaining();
        expect(failures).toEqual([]);
      }
    });
  }
});
