import net from "node:net";

/** Where tests find the real infrastructure; the same variables the services read. */
export const testInfrastructure = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  amqpUrl: process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
};

const parts = [
  {
    name: "PostgreSQL",
    url: () => testInfrastructure.postgresUrl,
    defaultPort: 5432,
    start: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
  },
  { name: "RabbitMQ", url: () => testInfrastructure.amqpUrl, defaultPort: 5672, start: "rabbitmq-server -detached" },
  {
    name: "Redis",
    url: () => testInfrastructure.redisUrl,
    defaultPort: 6379,
    start: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  },
];

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Throws, naming each unreachable part and the command that starts it. Tests never
 * skip: without the real infrastructure the run fails.
 */
export async function assertInfrastructureReachable(timeoutMs = 2_000): Promise<void> {
  const missing: string[] = [];
  for (const part of parts) {
    const url = new URL(part.url());
    const port = url.port ? Number(url.port) : part.defaultPort;
    if (!(await canConnect(url.hostname, port, timeoutMs))) {
      missing.push(`${part.name} is not reachable at ${url.hostname}:${port}; start it with: ${part.start}`);
    }
  }
  if (missing.length > 0) throw new Error(`Tests need the real infrastructure.\n${missing.join("\n")}`);
}
