import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { SERVICE_V8_FLAGS } from "@sms-todo/shared";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IService } from "kubernetes-models/v1/Service";
import type { IJob } from "kubernetes-models/batch/v1/Job";

/*
 * Offline checks of the Kubernetes manifests: every kustomization renders with `kubectl kustomize`, every rendered
 * object passes the Kubernetes schema of kubernetes-models and carries no field unknown to the API, and the pi
 * overlay obeys the project's rules (SPEC section 5). Nothing is written to disk.
 */

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const k8sDir = path.join(repoRoot, "k8s");
const piOverlay = path.join(k8sDir, "overlays", "pi");
const optionalDirs = ["cloudflare-tunnel", "keda"].map((name) => path.join(k8sDir, "optional", name));
// Custom resources have no schema in kubernetes-models; they are allowed only in the optional manifests.
const CRD_GROUPS = new Set(["keda.sh"]);

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Rendered {
  dir: string;
  objects: K8sObject[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const relative = (dir: string) => path.relative(repoRoot, dir) || ".";
const idOf = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;

async function kustomize(dir: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync("kubectl", ["kustomize", dir], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") {
      throw new Error(
        "kubectl is not installed or not on PATH: this check renders the manifests with `kubectl kustomize` " +
          "(install the kubectl client, https://kubernetes.io/docs/tasks/tools/)",
        { cause: error },
      );
    }
    throw new Error(`kubectl kustomize ${relative(dir)} failed: ${failure.stderr || failure.message}`, { cause: error });
  }
}

function parseManifests(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    if (document.errors.length > 0) {
      throw new Error(`${source}, document ${index + 1}: ${document.errors.map((e) => e.message).join("; ")}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    if (
      !isRecord(value) ||
      typeof value.apiVersion !== "string" ||
      typeof value.kind !== "string" ||
      !isRecord(value.metadata) ||
      typeof value.metadata.name !== "string"
    ) {
      throw new Error(`${source}, document ${index + 1}: not a Kubernetes object (apiVersion, kind and metadata.name)`);
    }
    objects.push(value as K8sObject);
  });
  return objects;
}

async function render(dir: string): Promise<Rendered> {
  return { dir, objects: parseManifests(await kustomize(dir), `kubectl kustomize ${relative(dir)}`) };
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0]! : "");
const isCustomResource = (object: K8sObject) => CRD_GROUPS.has(groupOf(object.apiVersion));

type ModelClass = new (data: unknown) => { validate(): void };

/** The kubernetes-models class for an apiVersion and kind; a kind it does not know is an error, never a skip. */
async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
  if (!/^([a-z0-9-]+(\.[a-z0-9-]+)*\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    throw new Error(`unknown kind: ${apiVersion} ${kind} is not a Kubernetes apiVersion/kind`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, unknown>;
  } catch {
    throw new Error(`unknown kind: kubernetes-models has no schema for ${apiVersion} ${kind}`);
  }
  const model = module[kind];
  if (typeof model !== "function") throw new Error(`unknown kind: kubernetes-models exports no class ${kind} for ${apiVersion}`);
  return model as ModelClass;
}

/** Validates one object against its Kubernetes schema; returns the problem, or undefined when it is valid. */
async function schemaProblem(object: K8sObject): Promise<string | undefined> {
  try {
    const Model = await modelFor(object.apiVersion, object.kind);
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return `${idOf(object)}: ${(error as Error).message}`;
  }
}

/*
 * The schemas of kubernetes-models do not reject unknown properties (no additionalProperties: false), so a typo such
 * as `readinesProbe` would pass them. The package's TypeScript interfaces are exact, though: each object is compiled
 * in memory as an object literal of its interface, and TypeScript's excess-property check names any unknown field.
 */
function unknownFieldProblems(objects: K8sObject[]): string[] {
  const fileName = path.join(repoRoot, "services", "deploy-checks", "test", "__rendered-manifests__.ts");
  const imports = new Map<string, string>();
  const lines: string[] = [];
  const owners: Array<{ bodyLine: number; object: K8sObject }> = [];
  for (const object of objects) {
    const specifier = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    if (!imports.has(specifier)) imports.set(specifier, `T${imports.size}`);
    owners.push({ bodyLine: lines.length, object });
    lines.push(...`export const o${owners.length}: ${imports.get(specifier)} = ${JSON.stringify(object, null, 1)};`.split("\n"));
  }
  const importLines = [...imports].map(
    ([specifier, alias]) => `import type { I${specifier.split("/").pop()} as ${alias} } from "${specifier}";`,
  );
  const source = [...importLines, ...lines].join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const base = ts.createCompilerHost(options);
  const host: ts.CompilerHost = {
    ...base,
    getSourceFile: (name, languageVersion, onError, shouldCreate) =>
      name === fileName
        ? ts.createSourceFile(name, source, languageVersion)
        : base.getSourceFile(name, languageVersion, onError, shouldCreate),
    fileExists: (name) => name === fileName || base.fileExists(name),
    readFile: (name) => (name === fileName ? source : base.readFile(name)),
  };
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (diagnostic.file?.fileName !== fileName || diagnostic.start === undefined) return message;
    // The imports come first in the file, the objects after them.
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line - importLines.length;
    const owner = owners.filter((candidate) => candidate.bodyLine <= line).pop();
    return `${owner ? idOf(owner.object) : "(imports)"}: ${message}`;
  });
}

/** Schema and unknown-field problems of every object; custom resources only need apiVersion, kind and metadata. */
async function validationProblems(objects: K8sObject[], allowCustomResources: boolean): Promise<string[]> {
  const problems: string[] = [];
  const known: K8sObject[] = [];
  for (const object of objects) {
    if (isCustomResource(object)) {
      if (!allowCustomResources) problems.push(`${idOf(object)}: custom resources belong in k8s/optional`);
      continue;
    }
    const problem = await schemaProblem(object);
    if (problem) problems.push(problem);
    // An object of an unknown kind already failed; it has no interface to check its fields against.
    if (!problem?.includes("unknown kind")) known.push(object);
  }
  if (known.length > 0) problems.push(...unknownFieldProblems(known));
  return problems;
}

// ---- Views on workloads -------------------------------------------------------------------------------------------

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);

interface Workload {
  object: K8sObject;
  name: string;
  replicas: number;
  template: IPodTemplateSpec;
  pod: IPodSpec;
}

function workloadsOf(objects: K8sObject[]): Workload[] {
  return objects
    .filter((object) => WORKLOAD_KINDS.has(object.kind))
    .map((object) => {
      const spec = object.spec as { replicas?: number; template: IPodTemplateSpec };
      return {
        object,
        name: object.metadata.name,
        replicas: object.kind === "Job" ? 1 : (spec.replicas ?? 1),
        template: spec.template,
        pod: spec.template.spec!,
      };
    });
}

const isSidecar = (container: IContainer) => container.restartPolicy === "Always";
const allContainers = (pod: IPodSpec): IContainer[] => [...(pod.initContainers ?? []), ...pod.containers];

function workload(objects: K8sObject[], kind: string, name: string): Workload {
  const found = workloadsOf(objects).find((candidate) => candidate.object.kind === kind && candidate.name === name);
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found;
}

function containerNamed(pod: IPodSpec, name: string): IContainer {
  const found = allContainers(pod).find((container) => container.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

/** Violations of the per-container rules (resources and the restricted security context) in rendered objects. */
function containerRuleViolations(objects: K8sObject[]): string[] {
  const violations: string[] = [];
  for (const { object, pod } of workloadsOf(objects)) {
    for (const container of allContainers(pod)) {
      const where = `${idOf(object)} container ${container.name}`;
      const security = container.securityContext ?? {};
      const requests = container.resources?.requests ?? {};
      const limits = container.resources?.limits ?? {};
      for (const resource of ["cpu", "memory"]) {
        if (requests[resource] === undefined) violations.push(`${where}: no ${resource} request`);
        if (limits[resource] === undefined) violations.push(`${where}: no ${resource} limit`);
      }
      if ((security.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true)
        violations.push(`${where}: runAsNonRoot is not true`);
      const uid = security.runAsUser ?? pod.securityContext?.runAsUser;
      if (uid === undefined || uid === 0) violations.push(`${where}: no non-root runAsUser`);
      if (security.readOnlyRootFilesystem !== true) violations.push(`${where}: readOnlyRootFilesystem is not true`);
      if (security.allowPrivilegeEscalation !== false) violations.push(`${where}: allowPrivilegeEscalation is not false`);
      if (!(security.capabilities?.drop ?? []).includes("ALL")) violations.push(`${where}: capabilities do not drop ALL`);
      if ((security.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== "RuntimeDefault") {
        violations.push(`${where}: seccompProfile is not RuntimeDefault`);
      }
    }
  }
  return violations;
}

// ---- Quantities and the memory budget -----------------------------------------------------------------------------

const MEMORY_UNITS: Record<string, number> = { "": 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };

function mebibytes(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(String(quantity));
  if (!match) throw new Error(`unsupported memory quantity ${quantity}`);
  return (Number(match[1]) * MEMORY_UNITS[match[2] ?? ""]!) / 2 ** 20;
}

function millicores(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const text = String(quantity);
  return text.endsWith("m") ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

interface PodBudget {
  requestMi: number;
  limitMi: number;
  requestMillicores: number;
}

/** A pod's footprint: its containers plus its native sidecars, which run alongside them for the pod's lifetime. */
function podBudget(pod: IPodSpec): PodBudget {
  const running = [...pod.containers, ...(pod.initContainers ?? []).filter(isSidecar)];
  const sum = (pick: (container: IContainer) => number) => running.reduce((total, container) => total + pick(container), 0);
  return {
    requestMi: sum((container) => mebibytes(container.resources?.requests?.memory)),
    limitMi: sum((container) => mebibytes(container.resources?.limits?.memory)),
    requestMillicores: sum((container) => millicores(container.resources?.requests?.cpu)),
  };
}

/*
 * What the three Pi 4 (4 GB) give and what runs besides sms-todo, as laid out in docs/kubernetes.md: allocatable
 * memory per node, the operating system, the k3s server (one node) and agents (two nodes) with containerd, and the
 * kube-system pods k3s ships (CoreDNS, Traefik, metrics-server, local-path-provisioner, ServiceLB).
 */
const PI_NODES = 3;
const PI_ALLOCATABLE_MI = 3788; // ~3.7 GiB per node
const SYSTEM_MI = { os: 3 * 200, k3sServer: 600, k3sAgents: 2 * 250, kubeSystemPods: 330 };
const SYSTEM_TOTAL_MI = Object.values(SYSTEM_MI).reduce((total, value) => total + value, 0);

// ---- The checks ----------------------------------------------------------------------------------------------------

const overlayDirs = () =>
  readdirSync(path.join(k8sDir, "overlays"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(k8sDir, "overlays", entry.name));

describe("kustomize manifests", () => {
  const rendered = new Map<string, Rendered>();
  // A rendering failure (kubectl missing, a broken kustomization) fails every test that needs the output, by name.
  let renderFailure: Error | undefined;
  const renderedDir = (dir: string): Rendered => {
    if (renderFailure !== undefined) throw renderFailure;
    const found = rendered.get(dir);
    if (!found) throw new Error(`${relative(dir)} was not rendered`);
    return found;
  };

  beforeAll(async () => {
    try {
      for (const dir of [path.join(k8sDir, "base"), ...overlayDirs(), ...optionalDirs]) rendered.set(dir, await render(dir));
    } catch (error) {
      renderFailure = error instanceof Error ? error : new Error(String(error));
    }
  });

  describe("schema validation", () => {
    it("when the base and every overlay are rendered, then every object passes its Kubernetes schema and has no unknown field", async () => {
      const dirs = [path.join(k8sDir, "base"), ...overlayDirs()];
      expect(dirs.map(relative)).toContain("k8s/overlays/pi");
      for (const dir of dirs) {
        const { objects } = renderedDir(dir);
        expect(objects.length, relative(dir)).toBeGreaterThan(20);
        expect(await validationProblems(objects, false), relative(dir)).toEqual([]);
      }
    });

    it("when the optional manifests are rendered, then built-in objects pass their schema and custom resources are well-formed", async () => {
      for (const dir of optionalDirs) {
        const { objects } = renderedDir(dir);
        expect(objects.length, relative(dir)).toBeGreaterThan(0);
        expect(await validationProblems(objects, true), relative(dir)).toEqual([]);
      }
      const keda = renderedDir(optionalDirs[1]!).objects;
      expect(keda.filter(isCustomResource).map(idOf).sort()).toEqual([
        "ScaledObject/transcribe",
        "TriggerAuthentication/transcribe-rabbitmq",
      ]);
      for (const object of keda.filter(isCustomResource)) {
        expect(object.apiVersion).toBe("keda.sh/v1alpha1");
        expect(object.metadata.namespace).toBe("sms-todo");
        expect(isRecord(object.spec)).toBe(true);
      }
    });

    it("when an object breaks its schema, then validation rejects it", async () => {
      const broken = parseManifests(
        [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata: {name: broken}",
          "spec:",
          "  replicas: two",
          "  selector: {matchLabels: {app.kubernetes.io/name: broken}}",
          "  template:",
          "    metadata: {labels: {app.kubernetes.io/name: broken}}",
          "    spec:",
          "      containers: [{image: nginx}]",
        ].join("\n"),
        "broken fixture",
      );
      const problems = await validationProblems(broken, false);
      expect(problems.join("\n")).toMatch(/spec\/replicas must be integer/);
      expect(problems.join("\n")).toMatch(/must have required property 'name'|must have required property name/);
    });

    it("when an object has a misspelt field, then the unknown-field check names it", async () => {
      const [deployment] = parseManifests(readFileSync(path.join(k8sDir, "base", "command.yaml"), "utf8"), "command.yaml");
      const misspelt = structuredClone(deployment!);
      const pod = (misspelt.spec as { template: IPodTemplateSpec }).template.spec!;
      (pod.containers[0] as unknown as Record<string, unknown>).readinesProbe = { exec: { command: ["true"] } };
      expect(await schemaProblem(misspelt)).toBeUndefined(); // the JSON schema alone lets it through
      expect(unknownFieldProblems([misspelt]).join("\n")).toMatch(/Deployment\/command: .*readinesProbe.* does not exist/);
    });

    it("when an object's kind is unknown, then validation fails instead of skipping it", async () => {
      const unknown = parseManifests("apiVersion: v1\nkind: Frobnicator\nmetadata: {name: x}\n", "fixture");
      expect(await validationProblems(unknown, false)).toEqual([
        expect.stringMatching(/unknown kind: kubernetes-models has no schema for v1 Frobnicator/),
      ]);
      const custom = parseManifests("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: x}\n", "fixture");
      expect(await validationProblems(custom, false)).toEqual(["ScaledObject/x: custom resources belong in k8s/optional"]);
    });

    it("when an init container is a native sidecar, then the schema knows restartPolicy (it types the field rather than ignoring it)", async () => {
      const transcribe = workload(renderedDir(piOverlay).objects, "Deployment", "transcribe").object;
      expect(await schemaProblem(transcribe)).toBeUndefined();
      const wrong = structuredClone(transcribe);
      (wrong.spec as { template: IPodTemplateSpec }).template.spec!.initContainers![0]!.restartPolicy = 5 as unknown as string;
      expect(await schemaProblem(wrong)).toMatch(/initContainers\/0\/restartPolicy must be string/);
    });
  });

  describe("project rules on the pi overlay", () => {
    const pi = () => renderedDir(piOverlay).objects;

    it("when the pi overlay is rendered, then every container and init container has requests, limits and a restricted security context", () => {
      expect(containerRuleViolations(pi())).toEqual([]);
      expect(workloadsOf(pi()).flatMap(({ pod }) => allContainers(pod)).length).toBeGreaterThanOrEqual(10);
    });

    it("when a container lacks a limit or a read-only root, then the rules report it", () => {
      const broken = structuredClone(workload(pi(), "Deployment", "command").object);
      const container = (broken.spec as { template: IPodTemplateSpec }).template.spec!.containers[0]!;
      delete container.resources!.limits;
      container.securityContext!.readOnlyRootFilesystem = false;
      expect(containerRuleViolations([broken])).toEqual([
        "Deployment/command container command: no cpu limit",
        "Deployment/command container command: no memory limit",
        "Deployment/command container command: readOnlyRootFilesystem is not true",
      ]);
    });

    it("when the pi overlay is rendered, then todo-domain's readiness is a native gRPC probe, its liveness the process's /healthz, and ingress has HTTP probes", () => {
      const todoDomain = containerNamed(workload(pi(), "Deployment", "todo-domain").pod, "todo-domain");
      expect(todoDomain.readinessProbe?.grpc).toEqual({ port: 50051, service: "" });
      for (const probe of [todoDomain.livenessProbe, todoDomain.startupProbe])
        expect(probe?.httpGet).toMatchObject({ path: "/healthz", port: "metrics" });
      expect(todoDomain.env).toContainEqual({ name: "TODO_GRPC_ADDR", value: "0.0.0.0:50051" });
      const ingress = containerNamed(workload(pi(), "Deployment", "ingress").pod, "ingress");
      expect(ingress.livenessProbe?.httpGet?.path).toBe("/healthz");
      expect(ingress.readinessProbe?.httpGet?.path).toBe("/readyz");
      expect(workload(pi(), "Deployment", "ingress").replicas).toBe(2);
    });

    it("when the pi overlay is rendered, then each worker's startup and liveness probe its /healthz on the metrics port, and none has a readiness probe", () => {
      for (const name of ["command", "transcribe", "notifier"]) {
        const worker = containerNamed(workload(pi(), "Deployment", name).pod, name);
        for (const probe of [worker.livenessProbe, worker.startupProbe])
          expect(probe?.httpGet, name).toMatchObject({ path: "/healthz", port: "metrics" });
        expect(worker.ports?.find((port) => port.name === "metrics")?.containerPort, name).toBeGreaterThan(0);
        expect(worker.readinessProbe, name).toBeUndefined();
      }
    });

    it("when the pi overlay is rendered, then transcribe runs whisper as a native sidecar with a startup probe", () => {
      const { pod } = workload(pi(), "Deployment", "transcribe");
      const whisper = (pod.initContainers ?? []).find((container) => container.name === "whisper");
      expect(whisper?.restartPolicy).toBe("Always");
      expect(whisper?.startupProbe?.httpGet).toMatchObject({ path: "/health", port: "whisper" });
      expect(whisper?.ports).toContainEqual({ name: "whisper", containerPort: 8080 });
      expect(whisper?.image).toMatch(/\/sms-todo\/whisper:/);
      expect(whisper?.env?.map((variable) => variable.name)).toContain("WHISPER_THREADS");
      expect(containerNamed(pod, "transcribe").env).toContainEqual({ name: "WHISPER_URL", value: "http://127.0.0.1:8080/v1" });
    });

    it("when the pi overlay is rendered, then the only Ingress routes exactly the two webhook paths to the ingress Service", () => {
      const ingresses = pi().filter((object) => object.kind === "Ingress") as unknown as IIngress[];
      expect(ingresses).toHaveLength(1);
      const [ingress] = ingresses;
      expect(ingress!.spec?.ingressClassName).toBe("traefik");
      const rules = ingress!.spec?.rules ?? [];
      expect(rules).toHaveLength(1);
      expect(rules[0]!.host).toBeTruthy();
      expect(ingress!.spec?.defaultBackend).toBeUndefined();
      const paths = rules[0]!.http?.paths ?? [];
      expect(paths.map((entry) => [entry.path, entry.pathType]).sort()).toEqual([
        ["/webhooks/twilio/sms", "Exact"],
        ["/webhooks/twilio/status", "Exact"],
      ]);
      for (const entry of paths) expect(entry.backend.service).toEqual({ name: "ingress", port: { name: "http" } });
      const service = pi().find(
        (object) => object.kind === "Service" && object.metadata.name === "ingress",
      ) as unknown as IService;
      expect(service.spec?.ports).toContainEqual(expect.objectContaining({ name: "http", port: 3000 }));
      expect(service.spec?.type).toBe("ClusterIP");
    });

    it("when the pi overlay is rendered, then a default-deny NetworkPolicy covers every pod in both directions", () => {
      const policies = pi().filter((object) => object.kind === "NetworkPolicy") as unknown as INetworkPolicy[];
      const denyAll = policies.filter(
        (policy) =>
          Object.keys(policy.spec?.podSelector?.matchLabels ?? {}).length === 0 &&
          (policy.spec?.podSelector?.matchExpressions ?? []).length === 0 &&
          policy.spec?.ingress === undefined &&
          policy.spec?.egress === undefined,
      );
      expect(denyAll.map((policy) => [...(policy.spec?.policyTypes ?? [])].sort())).toEqual([["Egress", "Ingress"]]);
    });

    it("when the pi overlay is rendered, then every NetworkPolicy, Service and PodDisruptionBudget selects pods that exist", () => {
      const podNames = new Set(workloadsOf(pi()).map(({ template }) => template.metadata?.labels?.["app.kubernetes.io/name"]));
      const selected: string[] = [];
      for (const object of pi()) {
        if (object.kind === "NetworkPolicy") {
          const spec = (object as unknown as INetworkPolicy).spec!;
          const peers = [
            ...(spec.ingress ?? []).flatMap((rule) => rule.from ?? []),
            ...(spec.egress ?? []).flatMap((rule) => rule.to ?? []),
          ];
          for (const peer of peers) {
            const name = peer.podSelector?.matchLabels?.["app.kubernetes.io/name"];
            if (name && !peer.namespaceSelector) selected.push(`${idOf(object)} peer ${name}`);
          }
          const own = spec.podSelector?.matchLabels?.["app.kubernetes.io/name"];
          if (own) selected.push(`${idOf(object)} pods ${own}`);
        }
        if (object.kind === "Service")
          selected.push(`${idOf(object)} pods ${(object as unknown as IService).spec?.selector?.["app.kubernetes.io/name"]}`);
        if (object.kind === "PodDisruptionBudget") {
          selected.push(
            `${idOf(object)} pods ${(object as unknown as IPodDisruptionBudget).spec?.selector?.matchLabels?.["app.kubernetes.io/name"]}`,
          );
        }
      }
      expect(selected.length).toBeGreaterThan(20);
      expect(selected.filter((entry) => !podNames.has(entry.split(" ").pop()))).toEqual([]);
    });

    it("when the pi overlay is rendered, then every object is labelled and every selector uses app.kubernetes.io/name", () => {
      for (const object of pi()) {
        expect(object.metadata.labels?.["app.kubernetes.io/part-of"], idOf(object)).toBe("sms-todo");
        expect(object.metadata.labels?.["app.kubernetes.io/name"], idOf(object)).toBeTruthy();
        if (object.kind !== "Namespace") expect(object.metadata.namespace, idOf(object)).toBe("sms-todo");
      }
      for (const { object, template } of workloadsOf(pi())) {
        const labels = template.metadata?.labels ?? {};
        expect(labels["app.kubernetes.io/part-of"], idOf(object)).toBe("sms-todo");
        if (object.kind === "Job") continue;
        const selector = (object.spec as { selector: { matchLabels: Record<string, string> } }).selector;
        expect(selector, idOf(object)).toEqual({ matchLabels: { "app.kubernetes.io/name": labels["app.kubernetes.io/name"] } });
      }
    });

    it("when the pi overlay is rendered, then every pod gets the single-replica or two-replica disruption budget it needs", () => {
      const budgets = pi().filter((object) => object.kind === "PodDisruptionBudget") as unknown as IPodDisruptionBudget[];
      const budgetOf = (name: string) =>
        budgets.find((budget) => budget.spec?.selector?.matchLabels?.["app.kubernetes.io/name"] === name)?.spec;
      for (const { object, replicas, template } of workloadsOf(pi())) {
        if (object.kind === "Job") continue;
        const budget = budgetOf(template.metadata!.labels!["app.kubernetes.io/name"]!);
        if (replicas > 1) expect(budget, idOf(object)).toMatchObject({ minAvailable: 1 });
        else expect(budget, idOf(object)).toMatchObject({ maxUnavailable: 1 });
      }
    });

    it("when any kustomization is rendered, then no Secret is among its objects", () => {
      for (const { dir, objects } of [...rendered.keys()].map(renderedDir))
        expect(objects.filter((object) => object.kind === "Secret").map(idOf), relative(dir)).toEqual([]);
      const template = parseManifests(readFileSync(path.join(k8sDir, "secret.example.yaml"), "utf8"), "secret.example.yaml");
      expect(template.map(idOf)).toEqual(["Secret/sms-todo-secrets"]);
    });

    it("when the pi overlay is rendered, then every secret and config reference names a key that exists", () => {
      const template = parseManifests(readFileSync(path.join(k8sDir, "secret.example.yaml"), "utf8"), "secret.example.yaml")[0]!;
      const secretKeys = Object.keys(template.stringData as Record<string, string>);
      expect(secretKeys.sort()).toEqual(
        [
          "AMQP_URL",
          "AUDIT_DATABASE_URL",
          "OPENAI_API_KEY",
          "POSTGRES_PASSWORD",
          "RABBITMQ_PASSWORD",
          "SPOOL_DATABASE_URL",
          "TODO_DATABASE_URL",
          "TRANSCRIPTION_DATABASE_URL",
          "TWILIO_ACCOUNT_SID",
          "TWILIO_AUTH_TOKEN",
        ].sort(),
      );
      const config = pi().find((object) => object.kind === "ConfigMap" && object.metadata.name === "sms-todo-config");
      const configKeys = Object.keys(config?.data ?? {});
      const dangling: string[] = [];
      for (const { object, pod } of workloadsOf(pi())) {
        for (const container of allContainers(pod)) {
          for (const variable of container.env ?? []) {
            const secret = variable.valueFrom?.secretKeyRef;
            const configMap = variable.valueFrom?.configMapKeyRef;
            if (secret && (secret.name !== "sms-todo-secrets" || !secretKeys.includes(secret.key)))
              dangling.push(`${idOf(object)} ${variable.name}`);
            if (configMap && (configMap.name !== "sms-todo-config" || !configKeys.includes(configMap.key)))
              dangling.push(`${idOf(object)} ${variable.name}`);
          }
        }
      }
      expect(dangling).toEqual([]);
    });

    it("when the pi overlay is rendered, then the migration Job runs migrate.js from the todo-domain image with retries and a TTL", () => {
      const job = pi().find((object) => object.kind === "Job") as unknown as IJob & K8sObject;
      expect(job.metadata.name).toBe("sms-todo-migrate");
      expect(job.spec?.backoffLimit).toBeGreaterThan(0);
      expect(job.spec?.ttlSecondsAfterFinished).toBeGreaterThan(0);
      const [container] = job.spec!.template.spec!.containers;
      expect(container!.command).toEqual(["node", "services/todo-domain/dist/migrate.js"]);
      expect(container!.image).toBe(containerNamed(workload(pi(), "Deployment", "todo-domain").pod, "todo-domain").image);
    });

    it("when the pi overlay is rendered, then persistent volumes use local-path and the project's images come from the registry", () => {
      const claims = [
        ...pi()
          .filter((object) => object.kind === "PersistentVolumeClaim")
          .map((object) => object.spec as { storageClassName?: string }),
        ...pi()
          .filter((object) => object.kind === "StatefulSet")
          .flatMap(
            (object) =>
              (object.spec as { volumeClaimTemplates?: Array<{ spec: { storageClassName?: string } }> }).volumeClaimTemplates ??
              [],
          )
          .map((claim) => claim.spec),
      ];
      expect(claims.map((claim) => claim.storageClassName)).toEqual(["local-path", "local-path"]);
      const images = workloadsOf(pi()).flatMap(({ pod }) => allContainers(pod).map((container) => container.image!));
      expect(images.filter((image) => image.startsWith("sms-todo/"))).toEqual([]);
      expect(images.filter((image) => image.includes("/sms-todo/")).length).toBeGreaterThanOrEqual(7);
    });

    it("when the pi overlay is rendered, then every Node heap cap (NODE_OPTIONS) is at most half of its container's memory limit, next to the services' V8 flags", () => {
      const nodeContainers = workloadsOf(pi()).flatMap(({ object, pod }) =>
        allContainers(pod)
          .filter((container) => container.command?.[0] === "node")
          .map((container) => ({ where: `${idOf(object)} ${container.name}`, container })),
      );
      expect(nodeContainers.length).toBe(6);
      for (const { where, container } of nodeContainers) {
        const options = container.env?.find((variable) => variable.name === "NODE_OPTIONS")?.value ?? "";
        const heap = /--max-old-space-size=(\d+)/.exec(options)?.[1];
        expect(heap, where).toBeDefined();
        expect(Number(heap) * 2, where).toBeLessThanOrEqual(mebibytes(container.resources?.limits?.memory));
        // NODE_OPTIONS replaces the image's: the flags every service runs with must be repeated here.
        for (const flag of SERVICE_V8_FLAGS) expect(options.split(/\s+/), where).toContain(flag);
      }
    });

    it("when the pi overlay's requests and limits are summed, then the stack and k3s fit three 4 GB Pis and match docs/kubernetes.md", () => {
      const steady = workloadsOf(pi()).filter(({ object }) => object.kind !== "Job");
      const total = steady.reduce(
        (sum, { replicas, pod }) => {
          const budget = podBudget(pod);
          return {
            requestMi: sum.requestMi + replicas * budget.requestMi,
            limitMi: sum.limitMi + replicas * budget.limitMi,
            requestMillicores: sum.requestMillicores + replicas * budget.requestMillicores,
          };
        },
        { requestMi: 0, limitMi: 0, requestMillicores: 0 },
      );
      const clusterMi = PI_NODES * PI_ALLOCATABLE_MI;
      // Limits included, nothing is overcommitted cluster-wide, and a fifth of the memory stays free.
      expect(total.limitMi + SYSTEM_TOTAL_MI).toBeLessThanOrEqual(0.8 * clusterMi);
      expect(total.requestMillicores).toBeLessThanOrEqual(0.25 * PI_NODES * 4000);
      // The largest pod fits next to the k3s server on one node.
      const largest = Math.max(...steady.map(({ pod }) => podBudget(pod).limitMi));
      expect(largest + SYSTEM_MI.os / PI_NODES + SYSTEM_MI.k3sServer + SYSTEM_MI.kubeSystemPods).toBeLessThanOrEqual(
        PI_ALLOCATABLE_MI,
      );
      const docs = readFileSync(path.join(repoRoot, "docs", "kubernetes.md"), "utf8");
      expect(docs).toContain(
        `| **sms-todo, all pods** | **${total.requestMi}Mi** | **${total.limitMi}Mi** | **${total.requestMillicores}m** |`,
      );
      expect(docs).toContain(`| **k3s and the system** | **${SYSTEM_TOTAL_MI}Mi** | **${SYSTEM_TOTAL_MI}Mi** |`);
    });
  });

  it("when the k8s folder is listed, then every kustomization is covered by these checks", () => {
    const kustomizations: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name));
        else if (entry.name === "kustomization.yaml") kustomizations.push(dir);
      }
    };
    walk(k8sDir);
    if (renderFailure !== undefined) throw renderFailure;
    expect(kustomizations.filter((dir) => !rendered.has(dir)).map(relative)).toEqual([]);
    expect(kustomizations).toHaveLength(rendered.size);
    expect(existsSync(path.join(k8sDir, "secret.example.yaml"))).toBe(true);
  });
});
