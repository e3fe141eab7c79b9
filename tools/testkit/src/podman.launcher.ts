import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { ServiceName, StackLauncher } from "./stack.runner.js";
import { uniqueName } from "./unique-name.js";

const run = promisify(execFile);

/** Marks the containers a launcher starts, so a run that was killed can still find and remove them. */
export const CONTAINER_LABEL = "org.sms-todo.stack";

export interface PodmanLauncherOptions {
  /** The image of each service: e.g. localhost/sms-todo/ingress:check. */
  image: (service: ServiceName) => string;
  /** Options added to every `podman run`, e.g. ["--arch", "arm64"]. */
  runOptions?: readonly string[];
}

export interface PodmanLauncher {
  launch: StackLauncher;
  /** The containers started so far, by name, in order. */
  readonly names: readonly string[];
  /** `podman inspect` of the containers, as parsed JSON (those that are gone are left out). */
  inspect(): Promise<PodmanContainer[]>;
  /** Removes the containers that are still there (after a kill rather than a stop); resolves with their names. */
  removeRemaining(): Promise<string[]>;
}

/** The parts of `podman inspect` the checks read. */
export interface PodmanContainer {
  Name: string;
  ImageName: string;
  Config: { User: string; Env: string[] };
  HostConfig: { ReadonlyRootfs: boolean; NetworkMode: string };
  /** Pid: the container's PID 1 as this machine sees it. */
  State: { Pid: number };
}

/**
 * Starts each process of the stack as a container of its service's image, as Kubernetes and compose run them: the
 * image's own user, a read-only root filesystem and no tmpfs, the image's own command for a service and
 * `node services/todo-domain/dist/migrate.js` for the migration, as its Job does. The host's network, so the
 * containers reach the infrastructure and the stand-ins on 127.0.0.1 and the stack reaches their ports there.
 *
 * A container gets the stack's variables and nothing else of this process' environment; NODE_OPTIONS neither, so the
 * image's own (heap cap and V8 flags) applies. `podman run` stays in the foreground and passes signals on
 * (--sig-proxy): SIGTERM to the process the stack holds reaches node, PID 1 in the container, and podman exits with
 * the container's exit code. SIGKILL cannot be passed on: it kills podman and leaves the container to removeRemaining.
 * Needs podman set up for this machine (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF: tools/images/image-storage.sh).
 */
export function podmanLauncher(options: PodmanLauncherOptions): PodmanLauncher {
  const names: string[] = [];
  const existing = async () => {
    const { stdout } = await run("podman", ["ps", "--all", "--format", "{{.Names}}", "--filter", `label=${CONTAINER_LABEL}`]);
    const present = new Set(stdout.split("\n").filter(Boolean));
    return names.filter((name) => present.has(name));
  };
  return {
    names,
    launch({ name, service, entry, variables }) {
      const container = uniqueName(`sms-todo-${name}`);
      names.push(container);
      const passed = Object.entries(variables).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== "NODE_OPTIONS",
      );
      // The service's own entry is what the image's CMD runs; anything else (the migration) is named.
      const command = entry === `services/${service}/dist/main.js` ? [] : ["node", entry];
      return {
        command: {
          file: "podman",
          args: [
            "run",
            "--rm",
            "--name",
            container,
            "--label",
            `${CONTAINER_LABEL}=${name}`,
            "--pull=never",
            "--network=host",
            "--read-only",
            "--read-only-tmpfs=false",
            ...(options.runOptions ?? []),
            // `--env NAME` takes the value from podman's own environment: secrets stay off the command line.
            ...passed.flatMap(([key]) => ["--env", key]),
            options.image(service),
            ...command,
          ],
        },
        env: { ...process.env, ...Object.fromEntries(passed) },
      };
    },
    async inspect() {
      const present = await existing();
      if (present.length === 0) return [];
      const { stdout } = await run("podman", ["inspect", "--type", "container", ...present]);
      return JSON.parse(stdout) as PodmanContainer[];
    },
    async removeRemaining() {
      const present = await existing();
      if (present.length > 0) await run("podman", ["rm", "--force", "--time", "0", ...present]);
      return present;
    },
  };
}
