import { readFileSync } from "node:fs";
import net from "node:net";

/**
 * Ports a test hands to a process it starts, or keeps closed to see connections refused.
 *
 * Listening on port 0 and closing again is a race: the kernel gives the ports of its ephemeral
 * range (32768–60999 on Linux) to every listen(0) and every outgoing connection of every process
 * on the machine, and a service under test once failed to start because a connection to Postgres
 * had taken its gRPC port in between. These ports come from below that range, which the kernel
 * never hands out by itself, from a block of the calling process's own (one per vitest worker),
 * and each is checked free before it is given.
 */
const FIRST_PORT = 20_000;
const BLOCK_SIZE = 400;

function ephemeralRangeStart(): number | undefined {
  try {
    const [start] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    return Number(start);
  } catch {
    return undefined; // not Linux: fall back to the kernel's choice
  }
}

function ownBlock(): { first: number; size: number } | undefined {
  const rangeStart = ephemeralRangeStart();
  if (rangeStart === undefined || rangeStart < FIRST_PORT + BLOCK_SIZE) return undefined;
  const blocks = Math.floor((rangeStart - FIRST_PORT) / BLOCK_SIZE);
  // vitest numbers its running workers from 1; a process of its own (bench, chaos) goes by its pid.
  const owner = Number(process.env.VITEST_POOL_ID ?? process.pid);
  return { first: FIRST_PORT + (owner % blocks) * BLOCK_SIZE, size: BLOCK_SIZE };
}

const block = ownBlock();
let nextOffset = 0;

async function tryListen(port: number): Promise<number | undefined> {
  const server = net.createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (!bound) return undefined;
  const { port: taken } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return taken;
}

/** A port on 127.0.0.1 that nothing listens on, and that no other process is given meanwhile. */
export async function freePort(): Promise<number> {
  if (!block) {
    const port = await tryListen(0);
    if (port === undefined) throw new Error("no free port");
    return port;
  }
  for (let tries = 0; tries < block.size; tries += 1) {
    const port = block.first + (nextOffset++ % block.size);
    if ((await tryListen(port)) !== undefined) return port;
  }
  throw new Error(`no free port in ${block.first}–${block.first + block.size - 1}`);
}
