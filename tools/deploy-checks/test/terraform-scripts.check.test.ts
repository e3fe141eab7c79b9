import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// Offline checks of the shell scripts terraform/ runs on the Pis (remote-exec) and locally
// (local-exec): the idempotent cgroup edit, the kubeconfig and token copies (with a stand-in ssh),
// and the kustomization that wraps the overlay (rendered with the real kubectl, never applied).

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const scriptsDir = join(repoRoot, "terraform", "scripts");

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = repoRoot): Run {
  const result = spawnSync(tool, args, { cwd, env, encoding: "utf8", timeout: 60_000 });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`${tool} is not installed (not found on PATH): these checks need ${tool}`);
    }
    throw result.error;
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const describeRun = (r: Run) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
const script = (name: string) => join(scriptsDir, name);

type Manifest = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: unknown };

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), "sms-todo-tf-scripts-"));
});
afterEach(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe("the terraform scripts", () => {
  it("when every script is parsed by sh -n, then none has a syntax error", () => {
    const scripts = readdirSync(scriptsDir).filter((file) => file.endsWith(".sh"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const parsed = run("sh", ["-n", script(file)]);
      expect(parsed.status, `${file}: ${describeRun(parsed)}`).toBe(0);
    }
  });
});

describe("prepare-pi.sh (runs on each Pi)", () => {
  const stockCmdline = "console=serial0,115200 console=tty1 root=PARTUUID=4e6b2a1c-02 rootfstype=ext4 fsck.repair=yes rootwait\n";

  const prepare = (cmdline: string, runningKernel: string) => {
    writeFileSync(join(temp, "cmdline.txt"), cmdline);
    writeFileSync(join(temp, "proc-cmdline"), runningKernel);
    return rerun();
  };
  const rerun = () =>
    run("sh", [script("prepare-pi.sh")], {
      ...process.env,
      CMDLINE_FILE: join(temp, "cmdline.txt"),
      PROC_CMDLINE: join(temp, "proc-cmdline"),
      REBOOT_COMMAND: `echo reboot >> '${join(temp, "reboots")}'`,
    });
  const cmdline = () => readFileSync(join(temp, "cmdline.txt"), "utf8");
  const reboots = () =>
    existsSync(join(temp, "reboots")) ? readFileSync(join(temp, "reboots"), "utf8").trim().split("\n").length : 0;

  it("when cmdline.txt lacks the cgroup flags, then both are appended to its single line and a reboot is requested", () => {
    const result = prepare(stockCmdline, stockCmdline);
    expect(result.status, describeRun(result)).toBe(0);
    expect(cmdline()).toBe(stockCmdline.replace("\n", " cgroup_memory=1 cgroup_enable=memory\n"));
    expect(reboots()).toBe(1);
  });

  it("when it runs again after the reboot, then cmdline.txt is unchanged and no reboot is requested", () => {
    prepare(stockCmdline, stockCmdline);
    const edited = cmdline();
    writeFileSync(join(temp, "proc-cmdline"), `coherent_pool=1M 8250.nr_uarts=1 ${edited}`);
    const again = rerun();
    expect(again.status, describeRun(again)).toBe(0);
    expect(cmdline()).toBe(edited);
    expect(reboots()).toBe(1);
    expect(again.stdout).toContain("no reboot needed");
  });

  it("when only one flag is missing, then only that one is added", () => {
    const partial = stockCmdline.replace("\n", " cgroup_enable=memory\n");
    prepare(partial, partial);
    expect(cmdline()).toBe(partial.replace("\n", " cgroup_memory=1\n"));
    expect(cmdline().match(/cgroup_enable=memory/g)).toHaveLength(1);
  });

  it("when the flags are in cmdline.txt but the running kernel lacks them, then a reboot is requested without editing the file", () => {
    const edited = stockCmdline.replace("\n", " cgroup_memory=1 cgroup_enable=memory\n");
    const result = prepare(edited, stockCmdline);
    expect(result.status, describeRun(result)).toBe(0);
    expect(cmdline()).toBe(edited);
    expect(reboots()).toBe(1);
  });

  it("when a similar but different flag is present, then the exact flag is still added", () => {
    const lookalike = stockCmdline.replace("\n", " cgroup_memory=10 xcgroup_enable=memory\n");
    prepare(lookalike, lookalike);
    expect(cmdline()).toBe(lookalike.replace("\n", " cgroup_memory=1 cgroup_enable=memory\n"));
  });
});

describe("the local ssh steps: wait-for-cgroups.sh, fetch-kubeconfig.sh, fetch-node-token.sh", () => {
  const k3sYaml = [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    "    certificate-authority-data: Q0EK",
    "    server: https://127.0.0.1:6443",
    "  name: default",
    "contexts:",
    "- context:",
    "    cluster: default",
    "    user: default",
    "  name: default",
    "current-context: default",
    "kind: Config",
    "preferences: {}",
    "users:",
    "- name: default",
    "  user:",
    "    client-certificate-data: Q0VSVAo=",
    "    client-key-data: S0VZCg==",
    "",
  ].join("\n");

  /** A stand-in ssh on PATH that records its arguments and prints what the server would (to stderr when failing, like ssh). */
  const withFakeSsh = (output: string, exitCode = 0): NodeJS.ProcessEnv => {
    const bin = join(temp, "bin");
    mkdirSync(bin);
    writeFileSync(join(temp, "remote-output"), output);
    writeFileSync(
      join(bin, "ssh"),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(temp, "ssh-args")}'\ncat '${join(temp, "remote-output")}' ${exitCode === 0 ? "" : ">&2"}\nexit ${exitCode}\n`,
    );
    chmodSync(join(bin, "ssh"), 0o755);
    return {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      SSH_USER: "pi",
      SSH_PORT: "2222",
      SSH_PRIVATE_KEY_PATH: "/keys/id_ed25519",
      SERVER_HOST: "192.168.1.50",
    };
  };
  const sshArgs = () => readFileSync(join(temp, "ssh-args"), "utf8").trim().split("\n");

  it("when the Pi answers with the memory cgroup enabled, then the wait ends at once", () => {
    const result = run("sh", [script("wait-for-cgroups.sh")], { ...withFakeSsh(""), TARGET_HOST: "192.168.1.51" });
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("192.168.1.51 is up with the memory cgroup enabled");
    expect(sshArgs()).toContain("pi@192.168.1.51");
  });

  it("when the Pi does not come back in time, then the wait fails naming the host and the last ssh error", () => {
    const env = {
      ...withFakeSsh("ssh: connect to host 192.168.1.51 port 2222: Connection refused\n", 255),
      TARGET_HOST: "192.168.1.51",
    };
    const result = run("sh", [script("wait-for-cgroups.sh")], { ...env, WAIT_TIMEOUT_SECONDS: "0" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("192.168.1.51 did not come back with cgroup_memory=1 cgroup_enable=memory within 0s");
    expect(result.stderr).toContain("Connection refused");
  });

  it("when the kubeconfig is fetched, then it points at the server, names everything sms-todo and only its owner can read it", () => {
    const target = join(temp, "out", "kubeconfig.yaml");
    const result = run("sh", [script("fetch-kubeconfig.sh")], {
      ...withFakeSsh(k3sYaml),
      KUBECONFIG_PATH: target,
      CONTEXT_NAME: "sms-todo",
    });
    expect(result.status, describeRun(result)).toBe(0);

    const kubeconfig = readFileSync(target, "utf8");
    expect(kubeconfig).toContain("server: https://192.168.1.50:6443");
    expect(kubeconfig).not.toMatch(/127\.0\.0\.1|: default$/m);
    expect(kubeconfig).toContain("current-context: sms-todo");
    expect(kubeconfig).toContain("client-key-data: S0VZCg==");
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(temp, "out"))).toEqual(["kubeconfig.yaml"]);
    expect(sshArgs()).toEqual(expect.arrayContaining(["/keys/id_ed25519", "2222", "BatchMode=yes", "pi@192.168.1.50"]));
    expect(sshArgs().at(-1)).toBe("sudo -n cat /etc/rancher/k3s/k3s.yaml");
  });

  it("when the server answers with something that is not a k3s kubeconfig, then the fetch fails and writes no file", () => {
    const target = join(temp, "kubeconfig.yaml");
    const result = run("sh", [script("fetch-kubeconfig.sh")], {
      ...withFakeSsh("sudo: a password is required\n"),
      KUBECONFIG_PATH: target,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("no server line to rewrite");
    expect(existsSync(target)).toBe(false);
  });

  it("when the node-token is fetched, then it is saved unchanged with mode 0600 and read through sudo from the k3s path", () => {
    const target = join(temp, "secrets", "node-token");
    const token = "K10a1b2c3::server:0123456789abcdef\n";
    const result = run("sh", [script("fetch-node-token.sh")], { ...withFakeSsh(token), NODE_TOKEN_PATH: target });
    expect(result.status, describeRun(result)).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(token);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(result.stdout + result.stderr).not.toContain("0123456789abcdef");
    expect(sshArgs().at(-1)).toBe("sudo -n cat /var/lib/rancher/k3s/server/node-token");
  });
});

describe("apply-manifests.sh in RENDER_ONLY mode (kubectl kustomize, no cluster)", () => {
  const writeOverlay = (): string => {
    const base = join(temp, "k8s", "base");
    const overlay = join(temp, "k8s", "overlays", "pi");
    mkdirSync(base, { recursive: true });
    mkdirSync(overlay, { recursive: true });
    writeFileSync(join(base, "kustomization.yaml"), "resources:\n  - all.yaml\n");
    writeFileSync(
      join(base, "all.yaml"),
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: sms-todo-config
data:
  PUBLIC_BASE_URL: https://todo.example.com
  TWILIO_FROM: "+15550000000"
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: transcribe
spec:
  selector:
    matchLabels: { app: transcribe }
  template:
    metadata:
      labels: { app: transcribe }
    spec:
      initContainers:
        - name: whisper
          image: sms-todo/whisper:0.1.0
          restartPolicy: Always
      containers:
        - name: transcribe
          image: registry.example.com/sms-todo/transcribe:0.1.0
        - name: cache
          image: redis:7-alpine
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: webhooks
spec:
  rules:
    - http:
        paths:
          - path: /webhooks/twilio/sms
            pathType: Exact
            backend:
              service:
                name: ingress
                port:
                  number: 3000
`,
    );
    writeFileSync(join(overlay, "kustomization.yaml"), "namespace: sms-todo\nresources:\n  - ../../base\n");
    return overlay;
  };

  /** Renders with TMPDIR inside the test's temp dir, so that the wrapper's clean-up can be seen. */
  const render = (overlay: string, extra: NodeJS.ProcessEnv) => {
    mkdirSync(join(temp, "tmp"), { recursive: true });
    return run("sh", [script("apply-manifests.sh")], {
      ...process.env,
      TMPDIR: join(temp, "tmp"),
      OVERLAY_DIR: overlay,
      RENDER_ONLY: "1",
      ...extra,
    });
  };
  const parse = (r: Run) => parseAllDocuments(r.stdout).map((doc) => doc.toJS() as Manifest);
  const images = (manifests: Manifest[]) => JSON.stringify(manifests).match(/"image":"[^"]+"/g) ?? [];

  it("when a registry, a public hostname and a sender are given, then sms-todo images come from the registry and the config and Ingress host are set", () => {
    run("kubectl", ["version", "--client"]);
    const rendered = render(writeOverlay(), {
      IMAGE_REGISTRY: "registry.lan:5000/home",
      PUBLIC_HOSTNAME: "todo.example.org",
      TWILIO_FROM: "+15551234567",
    });
    expect(rendered.status, describeRun(rendered)).toBe(0);
    const manifests = parse(rendered);

    expect(images(manifests).sort()).toEqual([
      '"image":"redis:7-alpine"',
      '"image":"registry.lan:5000/home/sms-todo/transcribe:0.1.0"',
      '"image":"registry.lan:5000/home/sms-todo/whisper:0.1.0"',
    ]);
    expect(manifests.find((m) => m.kind === "ConfigMap")?.data).toEqual({
      PUBLIC_BASE_URL: "https://todo.example.org",
      TWILIO_FROM: "+15551234567",
      LOG_LEVEL: "info",
    });
    expect(manifests.find((m) => m.kind === "Ingress")?.spec).toMatchObject({ rules: [{ host: "todo.example.org" }] });
    expect(readdirSync(join(temp, "tmp")), "the wrapper directory is removed").toEqual([]);
  });

  it("when neither registry nor hostname is given, then the overlay renders exactly as kubectl kustomize renders it", () => {
    const overlay = writeOverlay();
    const rendered = render(overlay, { IMAGE_REGISTRY: "", PUBLIC_HOSTNAME: "", TWILIO_FROM: "" });
    expect(rendered.status, describeRun(rendered)).toBe(0);
    const direct = run("kubectl", ["kustomize", overlay]);
    expect(direct.status, describeRun(direct)).toBe(0);
    expect(rendered.stdout).toBe(direct.stdout);
  });

  it("when the repository's pi overlay is wrapped with a registry, hostname and sender, then every sms-todo image comes from the registry and its placeholders are replaced", () => {
    const overlay = join(repoRoot, "k8s", "overlays", "pi");
    expect(existsSync(join(overlay, "kustomization.yaml")), `${overlay}/kustomization.yaml is missing`).toBe(true);
    const rendered = render(overlay, {
      IMAGE_REGISTRY: "registry.lan:5000",
      PUBLIC_HOSTNAME: "todo.example.org",
      TWILIO_FROM: "+15551234567",
    });
    expect(rendered.status, describeRun(rendered)).toBe(0);
    const manifests = parse(rendered);

    const appImages = images(manifests).filter((image) => image.includes("sms-todo/"));
    expect(appImages.length).toBeGreaterThan(0);
    for (const image of appImages) expect(image).toMatch(/^"image":"registry\.lan:5000\/sms-todo\//);
    const services = new Set(appImages.map((image) => /sms-todo\/([^:@"]+)/.exec(image)?.[1]));
    expect(services).toEqual(new Set(["ingress", "command", "transcribe", "todo-domain", "notifier", "whisper"]));
    const config = manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name === "sms-todo-config");
    expect(config?.data).toMatchObject({ PUBLIC_BASE_URL: "https://todo.example.org", TWILIO_FROM: "+15551234567" });
    expect(manifests.filter((m) => m.kind === "Ingress").length).toBeGreaterThan(0);
    for (const ingress of manifests.filter((m) => m.kind === "Ingress")) {
      expect(ingress.spec).toMatchObject({ rules: [{ host: "todo.example.org" }] });
    }
  });
});

describe("apply-manifests.sh against a stand-in kubectl (the order of the cluster calls)", () => {
  /**
   * A kubectl on PATH that runs the real kubectl for everything local (kustomize, label --local,
   * create --dry-run) and records the calls carrying --kubeconfig instead of reaching a cluster:
   * three Ready nodes, and whatever `apply -f -` receives saved to numbered files.
   */
  const withFakeKubectl = (): NodeJS.ProcessEnv => {
    const which = run("sh", ["-c", "command -v kubectl"]);
    if (which.status !== 0) throw new Error("kubectl is not installed (not found on PATH): these checks need kubectl");
    const real = which.stdout.trim();
    const bin = join(temp, "bin");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "kubectl"),
      `#!/bin/sh
if [ "$1" != --kubeconfig ]; then exec '${real}' "$@"; fi
shift 2
# create --dry-run=client is local, and runs alongside the apply it feeds: not recorded.
if [ "$1" = create ]; then exec '${real}' "$@"; fi
printf '%s\\n' "$*" >> '${join(temp, "calls")}'
case "$1 $2" in
  "get nodes") printf 'pi-1 Ready\\npi-2 Ready\\npi-3 Ready\\n' ;;
  "apply -f") n=$(ls '${temp}' | grep -c '^applied-'); cat > '${temp}'/applied-$n ;;
  "apply -k") '${real}' kustomize "$3" > '${join(temp, "applied-kustomize")}' ;;
esac
`,
    );
    chmodSync(join(bin, "kubectl"), 0o755);
    mkdirSync(join(temp, "tmp"));
    return { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, TMPDIR: join(temp, "tmp") };
  };

  it("when it applies with a secrets file, then it waits for the nodes, writes the labelled Secret, clears finished Jobs and applies the wrapped overlay, printing no secret", () => {
    const env = withFakeKubectl();
    const overlay = join(temp, "overlay");
    mkdirSync(overlay);
    writeFileSync(join(overlay, "kustomization.yaml"), "namespace: sms-todo\nresources:\n  - config.yaml\n");
    writeFileSync(
      join(overlay, "config.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sms-todo-config\ndata:\n  LOG_LEVEL: info\n",
    );
    writeFileSync(join(temp, "secrets.env"), "TWILIO_AUTH_TOKEN=SentinelAuthToken123\nPOSTGRES_PASSWORD=SentinelPassword456\n");

    const applied = run("sh", [script("apply-manifests.sh")], {
      ...env,
      KUBECONFIG_PATH: join(temp, "kubeconfig.yaml"),
      OVERLAY_DIR: overlay,
      PUBLIC_HOSTNAME: "todo.example.org",
      SECRETS_ENV_FILE: join(temp, "secrets.env"),
      EXPECTED_NODES: "3",
    });
    expect(applied.status, describeRun(applied)).toBe(0);
    expect(applied.stdout + applied.stderr).not.toMatch(/Sentinel/);

    const calls = readFileSync(join(temp, "calls"), "utf8").trim().split("\n");
    expect(calls).toEqual([
      "get nodes --no-headers",
      "wait --for=condition=Ready node --all --timeout=300s",
      "apply -f -",
      "apply -f -",
      "get namespace sms-todo",
      "-n sms-todo delete job --field-selector status.successful=1 --ignore-not-found",
      expect.stringMatching(/^apply -k /),
    ]);
    expect(readFileSync(join(temp, "calls"), "utf8")).not.toContain("Sentinel");

    const [namespace, secret] = [0, 1].map(
      (n) => parseAllDocuments(readFileSync(join(temp, `applied-${n}`), "utf8"))[0]?.toJS() as Manifest,
    );
    expect(namespace).toMatchObject({ kind: "Namespace", metadata: { name: "sms-todo" } });
    expect(secret).toMatchObject({
      kind: "Secret",
      metadata: {
        name: "sms-todo-secrets",
        namespace: "sms-todo",
        labels: { "app.kubernetes.io/name": "sms-todo-secrets", "app.kubernetes.io/part-of": "sms-todo" },
      },
      data: { TWILIO_AUTH_TOKEN: Buffer.from("SentinelAuthToken123").toString("base64") },
    });
    const wrapped = parseAllDocuments(readFileSync(join(temp, "applied-kustomize"), "utf8")).map((doc) => doc.toJS() as Manifest);
    expect(wrapped.find((m) => m.kind === "ConfigMap")?.data).toEqual({
      LOG_LEVEL: "info",
      PUBLIC_BASE_URL: "https://todo.example.org",
    });
    expect(readdirSync(join(temp, "tmp")), "the wrapper directory is removed").toEqual([]);
  });
});
