import { once } from "node:events";
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TcpFaultProxy } from "../src/tcp-fault.proxy.js";

let echo: net.Server;
let proxy: TcpFaultProxy;
const clients: net.Socket[] = [];

async function connect(): Promise<net.Socket> {
  const socket = net.connect({ host: "127.0.0.1", port: proxy.port });
  clients.push(socket);
  await once(socket, "connect");
  return socket;
}

/** Resolves with everything the socket received once `length` bytes arrived. */
function receive(socket: net.Socket, length: number): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (received.length >= length) resolve(received);
    });
  });
}

beforeEach(async () => {
  echo = net.createServer((socket) => {
    socket.on("error", () => socket.destroy());
    socket.pipe(socket);
  });
  echo.listen(0, "127.0.0.1");
  await once(echo, "listening");
  // Delays that differ chunk to chunk, the same in every run, so a later chunk would overtake an earlier one if it could.
  let step = 0;
  const varying = () => (step = (step * 7 + 3) % 11) / 10;
  proxy = new TcpFaultProxy("echo", { host: "127.0.0.1", port: (echo.address() as net.AddressInfo).port }, varying);
  await proxy.start();
});

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.destroy();
  await proxy.stop();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

describe("a TCP proxy that fails like the network", () => {
  it("when nothing is injected, then bytes pass both ways unchanged", async () => {
    const socket = await connect();
    const echoed = receive(socket, 5);
    socket.write("hello");
    expect(await echoed).toBe("hello");
  });

  it("when partitioned, then open connections drop and new ones are refused, until it heals on the same port", async () => {
    const socket = await connect();
    const closed = once(socket, "close");
    await proxy.partition();
    await closed;

    const refused = net.connect({ host: "127.0.0.1", port: proxy.port });
    clients.push(refused);
    const [error] = (await once(refused, "error")) as [NodeJS.ErrnoException];
    expect(error.code).toBe("ECONNREFUSED");

    await proxy.heal();
    const again = await connect();
    const echoed = receive(again, 4);
    again.write("back");
    expect(await echoed).toBe("back");
  });

  it("when traffic is held and then released, then the connection stayed open and the held bytes arrive in order", async () => {
    const socket = await connect();
    const echoed = receive(socket, 7);
    proxy.hold();
    socket.write("one,");
    socket.write("two");
    // Let the proxy read both writes while holding, before the release.
    await new Promise<void>((resolve) => socket.write("", () => setImmediate(resolve)));
    proxy.release();
    expect(await echoed).toBe("one,two");
    expect(socket.destroyed).toBe(false);
  });

  it("when latency is injected, then every chunk still arrives, in the order it was sent", async () => {
    proxy.setLatency({ minMs: 1, maxMs: 30 });
    const socket = await connect();
    const parts = Array.from({ length: 40 }, (_, index) => `<${index}>`);
    const expected = parts.join("");
    const echoed = receive(socket, expected.length);
    for (const part of parts) {
      socket.write(part);
      // Separate writes become separate chunks, each with a delay of its own.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await echoed).toBe(expected);
  });
});
