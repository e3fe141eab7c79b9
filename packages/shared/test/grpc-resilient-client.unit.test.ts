import {
  Metadata,
  status,
  type CallOptions,
  type ClientUnaryCall,
  type ServiceDefinition,
  type ServiceError,
} from "@grpc/grpc-js";
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { captureLogs } from "@sms-todo/testkit";
import { callUnary } from "../src/grpc/grpc-client.js";
import { withResilience, type ResilienceOptions, type ResilientClient } from "../src/grpc/resilient-client.js";

type Callback = (error: ServiceError | null, response?: { echoed: string }) => void;

interface Attempt {
  request: { text: string };
  metadata: Metadata;
  options: Partial<CallOptions>;
  callback: Callback;
  call: FakeCall;
}

class FakeCall extends EventEmitter {
  cancelled = false;
  constructor(private readonly onCancel: () => void) {
    super();
  }
  cancel() {
    this.cancelled = true;
    this.onCancel();
  }
  getPeer() {
    return "fake-peer";
  }
  getAuthContext() {
    return null;
  }
}

const failure = (code: status, details = status[code]): ServiceError =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });

/**
 * A client of one unary method, echo, whose attempts the test answers one by one; and a
 * server-streaming method, which the wrapper must leave alone.
 */
function fakeClient() {
  const attempts: Attempt[] = [];
  const waiters: Array<() => void> = [];
  let closed = false;
  const client = {
    echo(request: { text: string }, metadata: Metadata, options: Partial<CallOptions>, callback: Callback): ClientUnaryCall {
      const call = new FakeCall(() => callback(failure(status.CANCELLED, "Cancelled on client")));
      attempts.push({ request, metadata, options, callback, call });
      for (const wake of waiters.splice(0)) wake();
      return call;
    },
    watch: () => "stream",
    close() {
      closed = true;
    },
  };
  const definition = {
    echo: { path: "/test.Echo/Echo", requestStream: false, responseStream: false },
    watch: { path: "/test.Echo/Watch", requestStream: false, responseStream: true },
  } as unknown as ServiceDefinition;
  return {
    client,
    definition,
    attempts,
    isClosed: () => closed,
    /** Resolves with attempt number `n` (1-based) once it was made. */
    async attempt(n: number): Promise<Attempt> {
      while (attempts.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return attempts[n - 1]!;
    },
  };
}

describe("gRPC client with retries and a circuit breaker", () => {
  const { logger, lines } = captureLogs("resilient-client-test");
  const wrapped: Array<ResilientClient<{ close(): void }>> = [];
  const resilient = (fake: ReturnType<typeof fakeClient>, options: Partial<ResilienceOptions> = {}) => {
    const result = withResilience(fake.client, fake.definition, { name: "echo-server", logger, random: () => 0, ...options });
    wrapped.push(result);
    return result;
  };
  const echo = (client: ReturnType<typeof fakeClient>["client"], text: string, deadlineMs = 5_000) =>
    callUnary(client.echo.bind(client), { text }, { deadlineMs, correlationId: "corr-1" });
  afterEach(() => {
    for (const { client } of wrapped.splice(0)) client.close();
  });

  it("when an attempt fails with UNAVAILABLE, then it is tried again with the same request, metadata and deadline, and the answer is returned", async () => {
    const fake = fakeClient();
    const { client } = resilient(fake);
    const answer = echo(client, "hello");
    const first = await fake.attempt(1);
    first.callback(failure(status.UNAVAILABLE, "Connection dropped"));
    const second = await fake.attempt(2);
    second.callback(null, { echoed: "hello" });

    await expect(answer).resolves.toEqual({ echoed: "hello" });
    expect(second.request).toEqual({ text: "hello" });
    expect(second.options.deadline).toBe(first.options.deadline);
    expect(second.metadata.get("x-correlation-id")).toEqual(["corr-1"]);
    const retried = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === "gRPC call retried");
    expect(retried.at(-1)).toMatchObject({ method: "echo", attempt: 1, code: "UNAVAILABLE", delayMs: 50, server: "echo-server" });
  });

  it("when every attempt fails with UNAVAILABLE, then the call ends with UNAVAILABLE after three attempts", async () => {
    const fake = fakeClient();
    const { client } = resilient(fake);
    const answer = echo(client, "down");
    for (const n of [1, 2, 3]) (await fake.attempt(n)).callback(failure(status.UNAVAILABLE, "No connection established"));

    await expect(answer).rejects.toMatchObject({ code: "UNAVAILABLE", message: "No connection established" });
    expect(fake.attempts).toHaveLength(3);
  });

  it.each([
    ["DEADLINE_EXCEEDED", status.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"],
    ["NOT_FOUND", status.NOT_FOUND, "NOT_FOUND"],
    ["INVALID_ARGUMENT", status.INVALID_ARGUMENT, "INVALID_ARGUMENT"],
    ["INTERNAL", status.INTERNAL, "INTERNAL"],
  ])("when an attempt fails with %s, then the call is not retried", async (_name, code, appCode) => {
    const fake = fakeClient();
    const { client } = resilient(fake);
    const answer = echo(client, "once");
    (await fake.attempt(1)).callback(failure(code));

    await expect(answer).rejects.toMatchObject({ code: appCode });
    expect(fake.attempts).toHaveLength(1);
  });

  it("when the deadline leaves no room for another attempt, then an UNAVAILABLE is not retried", async () => {
    const fake = fakeClient();
    const { client } = resilient(fake);
    const answer = echo(client, "late", 120);
    (await fake.attempt(1)).callback(failure(status.UNAVAILABLE));

    await expect(answer).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(fake.attempts).toHaveLength(1);
  });

  it("when attempts keep failing with UNAVAILABLE, then the circuit opens and later calls fail fast without an attempt", async () => {
    const fake = fakeClient();
    const { client, breaker } = resilient(fake, { breaker: { volumeThreshold: 4 } });
    const failing = echo(client, "a");
    for (const n of [1, 2, 3]) (await fake.attempt(n)).callback(failure(status.UNAVAILABLE));
    await expect(failing).rejects.toMatchObject({ code: "UNAVAILABLE" });
    const opening = echo(client, "b");
    (await fake.attempt(4)).callback(failure(status.UNAVAILABLE));
    // The fourth failure opened the circuit: the retry meant to follow it fails fast instead.
    await expect(opening).rejects.toMatchObject({ code: "UNAVAILABLE" });
    await expect(opening).rejects.toThrow("circuit is open");
    expect(breaker.opened).toBe(true);

    const failingFast = echo(client, "c");
    await expect(failingFast).rejects.toMatchObject({ code: "UNAVAILABLE" });
    await expect(failingFast).rejects.toThrow("circuit is open");
    expect(fake.attempts).toHaveLength(4);
  });

  it("when a call is made without a deadline, then its attempts get the default deadline", async () => {
    const fake = fakeClient();
    const { client } = resilient(fake, { defaultDeadlineMs: 1_234 });
    const before = Date.now();
    const done = new Promise<unknown>((resolve) => client.echo({ text: "x" }, new Metadata(), {}, (error) => resolve(error)));
    const first = await fake.attempt(1);
    first.callback(null, { echoed: "x" });
    await expect(done).resolves.toBeNull();
    expect(first.options.deadline).toBeGreaterThanOrEqual(before + 1_234);
    expect(first.options.deadline).toBeLessThanOrEqual(Date.now() + 1_234);
  });

  it("when the call is cancelled while it waits to retry, then it ends CANCELLED and no further attempt is made", async () => {
    const fake = fakeClient();
    const { client } = resilient(fake, { retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    const ended = new Promise<ServiceError | null>((resolve) => {
      const call = client.echo({ text: "x" }, new Metadata(), { deadline: Date.now() + 120_000 }, (error) => resolve(error));
      void fake.attempt(1).then((first) => {
        first.callback(failure(status.UNAVAILABLE));
        // The retry waits 30 to 60 s; cancelling ends the wait at once.
        setImmediate(() => call.cancel());
      });
    });
    await expect(ended).resolves.toMatchObject({ code: status.CANCELLED });
    expect(fake.attempts).toHaveLength(1);
  });

  it("when a method streams, then it is left as it was; when the client is closed, then the breaker stops too", () => {
    const fake = fakeClient();
    const { client, breaker } = resilient(fake);
    expect((client as unknown as { watch(): string }).watch()).toBe("stream");
    client.close();
    expect(fake.isClosed()).toBe(true);
    expect(breaker.isShutdown).toBe(true);
  });
});
