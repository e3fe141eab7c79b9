import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Offline checks of terraform/: fmt, init and validate with no provider download, a plan of the
// example variables, and the rule that only Terraform's built-in terraform_data resource is used.
// Everything that writes (init, plan) runs on a temporary copy with TF_DATA_DIR in a temp dir, so
// the repository is left exactly as it was.

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const terraformDir = join(repoRoot, "terraform");

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(tool: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const result = spawnSync(tool, args, { cwd, env, encoding: "utf8", timeout: 100_000 });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        `${tool} is not installed (not found on PATH): the Terraform checks need the ${tool} CLI (Terraform >= 1.5)`,
      );
    }
    throw result.error;
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const describeRun = (r: Run) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** Every path under dir, relative to it, sorted: to prove the checks wrote nothing into terraform/. */
function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

/** Files that may exist in a working copy of terraform/ but are no part of the configuration. */
const localOnly = new Set([".terraform", "terraform.tfvars", "kubeconfig.yaml", "node-token"]);

/**
 * A throw-away Terraform working directory: a copy of terraform/, TF_DATA_DIR and an empty CLI config
 * in a temp dir, the version check disabled and every HTTP(S) route pointed at a closed port, so
 * that any attempt to reach a registry fails instead of silently succeeding.
 */
class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), "sms-todo-terraform-"));
  readonly dir = join(this.root, "terraform");
  readonly env: NodeJS.ProcessEnv;

  constructor() {
    cpSync(terraformDir, this.dir, {
      recursive: true,
      filter: (source) => {
        const name = basename(source);
        return !localOnly.has(name) && !name.includes(".tfstate") && !name.endsWith(".tfplan");
      },
    });
    const cliConfig = join(this.root, "terraform.rc");
    writeFileSync(cliConfig, "");
    const blocked = "http://127.0.0.1:9";
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("TF_") && !/^(https?|all|no)_proxy$/i.test(name)),
    );
    this.env = {
      ...inherited,
      TF_DATA_DIR: join(this.root, "data"),
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      HTTP_PROXY: blocked,
      HTTPS_PROXY: blocked,
      http_proxy: blocked,
      https_proxy: blocked,
    };
  }

  terraform(...args: string[]): Run {
    return run("terraform", args, this.dir, this.env);
  }

  init(): Run {
    return this.terraform("init", "-backend=false", "-input=false", "-no-color");
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A minimal overlay (kustomization + base) so that planning with apply_manifests = true has something to hash. */
function writeFixtureOverlay(root: string): { overlay: string; manifests: string } {
  const manifests = join(root, "k8s");
  mkdirSync(join(manifests, "base"), { recursive: true });
  mkdirSync(join(manifests, "overlays", "pi"), { recursive: true });
  writeFileSync(join(manifests, "base", "kustomization.yaml"), "resources:\n  - config.yaml\n");
  writeFileSync(
    join(manifests, "base", "config.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sms-todo-config\ndata:\n  LOG_LEVEL: info\n",
  );
  writeFileSync(join(manifests, "overlays", "pi", "kustomization.yaml"), "resources:\n  - ../../base\n");
  return { overlay: join(manifests, "overlays", "pi"), manifests };
}

interface PlanJson {
  planned_values: unknown;
  resource_changes: { address: string; type: string; provider_name: string; change: { actions: string[] } }[];
  output_changes: unknown;
}

describe("terraform/ offline checks", () => {
  let sandbox: Sandbox;
  let treeBefore: string[];
  let planVars: string[];

  beforeAll(() => {
    treeBefore = listTree(terraformDir);
    sandbox = new Sandbox();
    const keyFile = join(sandbox.root, "id_test");
    writeFileSync(keyFile, "not a real key: the plan only checks that the file exists\n");
    const fixture = writeFixtureOverlay(sandbox.root);
    planVars = [
      "-var-file=terraform.tfvars.example",
      `-var=ssh_private_key_path=${keyFile}`,
      `-var=overlay_path=${fixture.overlay}`,
      `-var=manifests_root=${fixture.manifests}`,
    ];
  });

  afterAll(() => sandbox?.remove());

  const plan = (...extra: string[]): { run: Run; json?: PlanJson } => {
    const planFile = join(sandbox.root, `plan-${Date.now()}`);
    const planned = sandbox.terraform(
      "plan",
      "-input=false",
      "-lock=false",
      "-no-color",
      ...planVars,
      ...extra,
      `-out=${planFile}`,
    );
    if (planned.status !== 0) return { run: planned };
    const shown = sandbox.terraform("show", "-json", planFile);
    expect(shown.status, describeRun(shown)).toBe(0);
    return { run: planned, json: JSON.parse(shown.stdout) as PlanJson };
  };

  it("when terraform fmt -check runs over terraform/, then every file is already formatted", () => {
    const fmt = run("terraform", ["fmt", "-check", "-recursive", "-diff", "-no-color"], terraformDir, sandbox.env);
    expect(fmt.status, `terraform fmt would change these files:\n${describeRun(fmt)}`).toBe(0);
  });

  it("when the configuration is initialised with every network route blocked, then init succeeds without a provider or lock file", () => {
    const init = sandbox.init();
    expect(init.status, describeRun(init)).toBe(0);
    expect(init.stdout).toContain("terraform.io/builtin/terraform is built in");
    expect(init.stdout).not.toMatch(/Installing|Finding .* versions/);
    expect(existsSync(join(sandbox.dir, ".terraform.lock.hcl")), "init wrote a dependency lock file").toBe(false);
  });

  it("when the configuration is validated, then terraform reports it valid without errors or warnings", () => {
    const validate = sandbox.terraform("validate", "-json", "-no-color");
    const report = JSON.parse(validate.stdout) as {
      valid: boolean;
      error_count: number;
      warning_count: number;
      diagnostics: unknown[];
    };
    expect(report, describeRun(validate)).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
    expect(validate.status).toBe(0);
  });

  it("when the example variables are planned, then one terraform_data per Pi and step is created and nothing else", () => {
    const { run: planned, json } = plan();
    expect(planned.status, describeRun(planned)).toBe(0);
    const changes = json!.resource_changes;
    expect(changes.map((change) => change.address).sort()).toEqual([
      'terraform_data.agent_k3s["192.168.1.51"]',
      'terraform_data.agent_k3s["192.168.1.52"]',
      'terraform_data.agent_node["192.168.1.51"]',
      'terraform_data.agent_node["192.168.1.52"]',
      "terraform_data.kubeconfig",
      "terraform_data.manifests[0]",
      "terraform_data.node_token",
      "terraform_data.server_k3s",
      "terraform_data.server_node",
    ]);
    for (const change of changes) {
      expect(change).toMatchObject({ type: "terraform_data", provider_name: "terraform.io/builtin/terraform" });
      expect(change.change.actions).toEqual(["create"]);
    }
  });

  it("when manifests are not applied, then no manifests resource is planned", () => {
    const { run: planned, json } = plan("-var=apply_manifests=false");
    expect(planned.status, describeRun(planned)).toBe(0);
    expect(json!.resource_changes.map((change) => change.address)).not.toContain("terraform_data.manifests[0]");
  });

  it("when a cluster token is given, then it appears in no planned resource value or output, which is what the state keeps", () => {
    const sentinel = "SentinelClusterToken0123456789";
    const { run: planned, json } = plan(`-var=cluster_token=${sentinel}`);
    expect(planned.status, describeRun(planned)).toBe(0);
    expect(planned.stdout).not.toContain(sentinel);
    for (const part of [json!.planned_values, json!.resource_changes, json!.output_changes]) {
      expect(JSON.stringify(part)).not.toContain(sentinel);
    }
  });

  it("when the server is also listed as an agent, then the plan is refused with a message saying so", () => {
    const { run: planned } = plan('-var=agent_hosts=["192.168.1.50"]');
    expect(planned.status).not.toBe(0);
    expect(planned.stderr).toContain("The server_host must not also be listed in agent_hosts.");
  });

  it("when the overlay directory has no kustomization, then the plan is refused before anything is provisioned", () => {
    const { run: planned } = plan(`-var=overlay_path=${join(sandbox.root, "no-overlay")}`);
    expect(planned.status).not.toBe(0);
    expect(planned.stderr).toContain("The overlay_path has no kustomization.yaml");
  });

  it("when a variable is malformed, then the plan is refused by its validation", () => {
    const { run: planned } = plan("-var=k3s_version=latest", "-var=image_registry=https://ghcr.io/x/");
    expect(planned.status).not.toBe(0);
    expect(planned.stderr).toContain("The k3s_version must be a k3s release tag");
    expect(planned.stderr).toContain("The image_registry must look like host[:port][/path]");
  });

  it("when the checks have run, then nothing was written into terraform/", () => {
    expect(listTree(terraformDir)).toEqual(treeBefore);
  });
});

describe("a deliberately broken copy of terraform/", () => {
  let sandbox: Sandbox;

  beforeAll(() => {
    sandbox = new Sandbox();
    appendFileSync(join(sandbox.dir, "main.tf"), '\nresource "terraform_data" "broken" {\n  input = var.does_not_exist\n}\n');
  });

  afterAll(() => sandbox?.remove());

  it("when it is validated, then terraform reports it invalid and names the undeclared variable", () => {
    const init = sandbox.init();
    expect(init.status, describeRun(init)).toBe(0);
    const validate = sandbox.terraform("validate", "-json", "-no-color");
    const report = JSON.parse(validate.stdout) as {
      valid: boolean;
      error_count: number;
      diagnostics: { summary: string; detail: string }[];
    };
    expect(validate.status).not.toBe(0);
    expect(report.valid).toBe(false);
    expect(report.error_count).toBeGreaterThan(0);
    expect(report.diagnostics.map((diagnostic) => `${diagnostic.summary}: ${diagnostic.detail}`).join("\n")).toContain(
      "does_not_exist",
    );
  });
});

describe("the rules terraform/ follows", () => {
  const tfFiles = readdirSync(terraformDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".tf") && !file.split("/").includes(".terraform"))
    .sort();
  /** The .tf sources without full-line comments, so that prose about providers does not count. */
  const code = (file: string) =>
    readFileSync(join(terraformDir, file), "utf8")
      .split("\n")
      .filter((line) => !/^\s*(#|\/\/)/.test(line))
      .join("\n");

  it("when the .tf files are listed, then versions, variables, main and outputs are there", () => {
    expect(tfFiles).toEqual(expect.arrayContaining(["main.tf", "outputs.tf", "variables.tf", "versions.tf"]));
  });

  it("when the .tf files are read, then no provider, required_providers, data or module block appears", () => {
    for (const file of tfFiles) {
      const source = code(file);
      expect(source, `${file} declares a provider`).not.toMatch(/^\s*provider\s*("|=)/m);
      expect(source, `${file} declares required_providers`).not.toMatch(/required_providers/);
      expect(source, `${file} declares a data source (data sources need a provider)`).not.toMatch(/^\s*data\s+"/m);
      expect(source, `${file} calls a module (modules may bring providers)`).not.toMatch(/^\s*module\s+"/m);
    }
  });

  it("when the .tf files are read, then every resource is a terraform_data", () => {
    const resourceTypes = tfFiles.flatMap((file) =>
      [...code(file).matchAll(/^\s*resource\s+"([^"]+)"\s+"([^"]+)"/gm)].map((m) => m[1]),
    );
    expect(resourceTypes.length).toBeGreaterThan(0);
    expect(new Set(resourceTypes)).toEqual(new Set(["terraform_data"]));
  });

  it("when versions.tf is read, then it pins required_version and nothing else", () => {
    const versions = code("versions.tf");
    expect(versions).toMatch(/required_version\s*=\s*"[^"]+"/);
    expect(versions).not.toMatch(/required_providers|backend|cloud\s*\{/);
  });

  it("when git is asked about the files Terraform writes, then state, plans, real variables, the kubeconfig and the token are ignored", () => {
    const written = [
      "terraform/.terraform/x",
      "terraform/terraform.tfstate",
      "terraform/terraform.tfstate.backup",
      "terraform/terraform.tfvars",
      "terraform/kubeconfig.yaml",
      "terraform/node-token",
      "terraform/sms-todo-secrets.env",
      "terraform/deploy.tfplan",
    ];
    const ignored = run("git", ["check-ignore", "--no-index", ...written], repoRoot);
    expect(ignored.stdout.trim().split("\n").sort(), describeRun(ignored)).toEqual([...written].sort());
    const example = run("git", ["check-ignore", "--no-index", "terraform/terraform.tfvars.example"], repoRoot);
    expect(example.status, "terraform.tfvars.example must stay tracked").toBe(1);
  });

  it("when the example variables file is read, then it holds no cluster token", () => {
    const example = readFileSync(join(terraformDir, "terraform.tfvars.example"), "utf8");
    expect(example).not.toMatch(/^\s*cluster_token\s*=/m);
  });
});
