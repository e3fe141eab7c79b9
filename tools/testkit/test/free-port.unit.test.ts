import { readFileSync } from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../src/free-port.js";

const ephemeralStart = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);

describe("freePort", () => {
  it("when asked several times, then it gives distinct ports below the kernel's ephemeral range that can be listened on", async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ephemeralStart);
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("when the next port of its block is taken, then it skips to one that is free", async () => {
    const taken = await freePort();
    const holder = net.createServer();
    // Hold the port after `taken`, the one the next call would give.
    await new Promise<void>((resolve, reject) => holder.once("error", reject).listen(taken + 1, "127.0.0.1", resolve));
    try {
      const next = await freePort();
      expect(next).not.toBe(taken + 1);
      expect(next).toBeGreaterThan(taken + 1);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
