// The GitHub Actions workflows in .github/workflows keep the promises docs/pull-requests.md makes about them: they
// parse, every job names its permissions, every action is pinned to a commit, secrets reach shells only
// through env:, runs on one stack are serialised, forks never get secrets or a write token near their code,
// no job that can run a branch's code reaches a deploy credential (the map at the end of this file),
// and each workflow does what it is there for (tests, previews, the review comment, ephemeral stacks,
// deploys, drift).
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");
const PULUMI_VERSION_FILE = ".github/pulumi-version";
const STACKS = ["dev", "prod"];

type Dict = Record<string, unknown>;

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Dict;
  env?: Dict;
}

interface Job {
  name?: string;
  if?: string;
  uses?: string;
  needs?: string | string[];
  permissions?: unknown;
  concurrency?: unknown;
  environment?: unknown;
  strategy?: { matrix?: Dict };
  "timeout-minutes"?: unknown;
  env?: Dict;
  steps?: Step[];
}

interface Workflow {
  file: string;
  text: string;
  errors: string[];
  name?: string;
  on: Dict;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

function asDict(value: unknown): Dict {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Dict) : {};
}

/** `on:` in any of its three spellings (a name, a list of names, a map), as a map of event → config. */
function events(on: unknown): Dict {
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((name) => [String(name), null]));
  return asDict(on);
}

function load(file: string): Workflow {
  const text = readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
  const document = parseDocument(text);
  const data = asDict(document.toJS());
  return {
    file,
    text,
    errors: document.errors.map((error) => error.message),
    name: typeof data.name === "string" ? data.name : undefined,
    on: events(data.on),
    permissions: data.permissions,
    jobs: asDict(data.jobs) as Record<string, Job>,
  };
}

const files = readdirSync(WORKFLOW_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const workflows = files.map(load);

function workflow(file: string): Workflow {
  const found = workflows.find((w) => w.file === file);
  if (!found) throw new Error(`.github/workflows/${file} does not exist`);
  return found;
}

const stepsOf = (job: Job): Step[] => (Array.isArray(job.steps) ? job.steps : []);
const jobsOf = (w: Workflow): [string, Job][] => Object.entries(w.jobs);
const allJobs = (): [Workflow, string, Job][] =>
  workflows.flatMap((w) => jobsOf(w).map(([id, job]) => [w, id, job] as [Workflow, string, Job]));
const runOf = (step: Step): string => (typeof step.run === "string" ? step.run : "");
const isAction = (step: Step, action: string): boolean => typeof step.uses === "string" && step.uses.startsWith(`${action}@`);
const withOf = (step: Step): Dict => asDict(step.with);

/** The pulumi/actions steps that run a Pulumi command (not the install-only ones). */
const pulumiCommands = (job: Job): Step[] => stepsOf(job).filter((s) => isAction(s, "pulumi/actions") && withOf(s).command !== undefined);

/** Jobs that operate on a Pulumi stack: a pulumi/actions command, the Pulumi CLI on a stack, or the ephemeral tool. */
function touchesStack(job: Job): boolean {
  return (
    pulumiCommands(job).length > 0 ||
    stepsOf(job).some(
      (s) =>
        /\bpulumi\s+(config|preview|up|update|refresh|destroy|stack|import|cancel|state)\b/.test(runOf(s)) ||
        /\bnpm run\b.*\bephemeral\b/.test(runOf(s)),
    )
  );
}

/** The matrix combinations of a job: one per `include` entry, or the cross product of its lists. */
function matrixCombinations(job: Job): Dict[] {
  const matrix = asDict(job.strategy?.matrix);
  const include = Array.isArray(matrix.include) ? (matrix.include as Dict[]) : [];
  const axes = Object.entries(matrix).filter(([key, value]) => key !== "include" && key !== "exclude" && Array.isArray(value)) as [
    string,
    unknown[],
  ][];
  let combos: Dict[] = [{}];
  for (const [key, values] of axes) combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  if (axes.length === 0) return include.length > 0 ? include : [{}];
  return [...combos, ...include];
}

/** A string with `${{ matrix.x }}` replaced by the combination's values. */
function withMatrix(text: string, combo: Dict): string {
  return text.replace(/\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g, (whole, key: string) => (key in combo ? String(combo[key]) : whole));
}

/** Every `uses:` of a workflow: job-level (reusable workflows) and step-level. */
function usesOf(w: Workflow): string[] {
  return jobsOf(w).flatMap(([, job]) => [
    ...(typeof job.uses === "string" ? [job.uses] : []),
    ...stepsOf(job).flatMap((s) => (typeof s.uses === "string" ? [s.uses] : [])),
  ]);
}

const isLocal = (uses: string): boolean => uses.startsWith("./");
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
/** A `uses:` line as written: the reference, then `# vX[.Y[.Z]]` on the same line. */
const USES_LINE = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/;
const VERSION_COMMENT = /^\s+#\s*v\d+(\.\d+){0,2}\b/;

function usesLines(text: string): { reference: string; rest: string; line: number }[] {
  return text.split("\n").flatMap((line, index) => {
    const match = USES_LINE.exec(line);
    return match ? [{ reference: match[1].replace(/^["']|["']$/g, ""), rest: match[2], line: index + 1 }] : [];
  });
}

/** Shell scripts and github-script code: the places where an interpolated `${{ }}` becomes code. */
function codeOf(job: Job): { where: string; code: string }[] {
  return stepsOf(job).flatMap((step, index) => {
    const where = step.name ?? step.uses ?? `step ${index + 1}`;
    const out: { where: string; code: string }[] = [];
    if (step.run !== undefined) out.push({ where, code: runOf(step) });
    if (isAction(step, "actions/github-script") && typeof withOf(step).script === "string")
      out.push({ where, code: withOf(step).script as string });
    return out;
  });
}

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function environmentName(job: Job): string | undefined {
  if (typeof job.environment === "string") return job.environment;
  const name = asDict(job.environment).name;
  return typeof name === "string" ? name : undefined;
}

function semver(text: string): number[] {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) throw new Error(`"${text}" is not a version`);
  return match.slice(1, 4).map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Before its Pulumi command, the job sets its stack's `auth0:clientId` (plain config, in the runner's checkout)
 * to `AUTH0_<STACK>_READONLY_CLIENT_ID`, and the command gets `AUTH0_<STACK>_READONLY_CLIENT_SECRET` as
 * AUTH0_CLIENT_SECRET (named through `matrix.readonly`): no secret is written to the stack's config.
 */
function expectReadOnlyOverride(job: Job): void {
  const steps = stepsOf(job);
  const override = steps.findIndex((s) => /pulumi config set .*auth0:clientId/.test(runOf(s)));
  const command = steps.findIndex((s) => isAction(s, "pulumi/actions") && withOf(s).command !== undefined);
  expect(override).toBeGreaterThanOrEqual(0);
  expect(override).toBeLessThan(command);
  for (const step of steps) expect(runOf(step)).not.toMatch(/config set[^\n]*--secret|auth0:clientSecret/);
  expect(asDict(steps[override].env).READONLY_CLIENT_ID).toBe("${{ secrets[format('{0}_CLIENT_ID', matrix.readonly)] }}");
  expect(asDict(steps[command].env)).toEqual({
    PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_PREVIEW_TOKEN }}",
    AUTH0_CLIENT_SECRET: "${{ secrets[format('{0}_CLIENT_SECRET', matrix.readonly)] }}",
  });
  for (const combo of matrixCombinations(job)) expect(combo.readonly).toBe(`AUTH0_${String(combo.stack).toUpperCase()}_READONLY`);
}

describe(".github/workflows", () => {
  it("holds the workflows docs/pull-requests.md describes", () => {
    expect(files).toEqual(
      expect.arrayContaining(["ci.yml", "review-comment.yml", "ephemeral.yml", "ephemeral-gc.yml", "deploy.yml", "drift.yml"]),
    );
  });
});

describe.each(files)("%s", (file) => {
  const w = workflow(file);

  it("parses as YAML without errors", () => {
    expect(w.errors).toEqual([]);
  });

  it("says when it runs (`on:`) and has jobs", () => {
    expect(Object.keys(w.on).length).toBeGreaterThan(0);
    expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
  });

  it("grants nothing at the workflow level, so a job gets only the permissions it names", () => {
    expect(w.permissions).toEqual({});
  });

  it("names the permissions of every job, never a blanket read-all or write-all", () => {
    for (const [id, job] of jobsOf(w)) {
      expect({ job: id, permissions: typeof job.permissions }).toEqual({ job: id, permissions: "object" });
      expect(job.permissions).not.toBeNull();
    }
  });

  it("never lets a job push to the repository (`contents: write`)", () => {
    for (const [id, job] of jobsOf(w))
      expect({ job: id, contents: asDict(job.permissions).contents }).not.toEqual({ job: id, contents: "write" });
  });

  it("gives every job a time limit", () => {
    for (const [id, job] of jobsOf(w)) expect({ job: id, timeout: typeof job["timeout-minutes"] }).toEqual({ job: id, timeout: "number" });
  });

  it("pins every action to a full commit SHA", () => {
    for (const uses of usesOf(w).filter((u) => !isLocal(u))) expect(uses).toMatch(PINNED);
  });

  it("writes the pinned version as a `# vX.Y.Z` comment on the same line as each `uses:`", () => {
    const lines = usesLines(w.text);
    // Every `uses:` the parser sees is one of these lines, so none escapes the comment check.
    expect(lines.map((l) => l.reference).sort()).toEqual(usesOf(w).sort());
    for (const { reference, rest, line } of lines.filter((l) => !isLocal(l.reference))) {
      expect({ line, reference, comment: VERSION_COMMENT.test(rest) }).toEqual({ line, reference, comment: true });
    }
  });

  it("passes secrets to shell scripts only through env:, never as `${{ secrets.* }}` in `run:`", () => {
    for (const [id, job] of jobsOf(w)) {
      for (const step of stepsOf(job))
        expect({ job: id, step: step.name, run: runOf(step) }).not.toEqual(
          expect.objectContaining({ run: expect.stringMatching(/\$\{\{[^}]*\bsecrets\b/) }),
        );
    }
  });

  it("interpolates no `${{ }}` expression into a shell script or github-script code (values come through env:)", () => {
    for (const [id, job] of jobsOf(w)) {
      for (const { where, code } of codeOf(job))
        expect({ job: id, step: where, interpolates: code.includes("${{") }).toEqual({ job: id, step: where, interpolates: false });
    }
  });

  it("serialises every job that operates on a Pulumi stack and never cancels one mid-operation", () => {
    for (const [id, job] of jobsOf(w).filter(([, j]) => touchesStack(j))) {
      const concurrency = asDict(job.concurrency);
      expect({ job: id, group: typeof concurrency.group }).toEqual({ job: id, group: "string" });
      expect({ job: id, cancelInProgress: concurrency["cancel-in-progress"] }).toEqual({ job: id, cancelInProgress: false });
    }
  });

  it("never combines `queue: max` with `cancel-in-progress: true` (GitHub rejects the workflow)", () => {
    for (const [, job] of jobsOf(w)) {
      const concurrency = asDict(job.concurrency);
      if (concurrency.queue === "max") expect(concurrency["cancel-in-progress"]).not.toBe(true);
    }
  });

  it("installs the Pulumi CLI from the one pinned version file", () => {
    for (const [, job] of jobsOf(w)) {
      for (const step of stepsOf(job).filter((s) => isAction(s, "pulumi/actions")))
        expect(withOf(step)["pulumi-version-file"]).toBe(PULUMI_VERSION_FILE);
    }
  });

  it("checks out without leaving the token in .git/config", () => {
    for (const [, job] of jobsOf(w)) {
      for (const step of stepsOf(job).filter((s) => isAction(s, "actions/checkout")))
        expect(withOf(step)["persist-credentials"]).toBe(false);
    }
  });
});

describe("all workflows together", () => {
  it("pin each action to one commit everywhere", () => {
    const shas = new Map<string, Set<string>>();
    for (const uses of workflows.flatMap(usesOf).filter((u) => !isLocal(u))) {
      const [action, sha] = uses.split("@");
      shas.set(action, new Set([...(shas.get(action) ?? []), sha]));
    }
    for (const [action, set] of shas) expect({ action, shas: set.size }).toEqual({ action, shas: 1 });
  });

  it("put every job on a stack in that stack's one queue, `pulumi-stack-<stack>`", () => {
    const groups = new Map<string, Set<string>>();
    for (const [w, id, job] of allJobs()) {
      for (const step of pulumiCommands(job)) {
        for (const combo of matrixCombinations(job)) {
          const stack = withMatrix(String(withOf(step)["stack-name"]), combo);
          const group = withMatrix(String(asDict(job.concurrency).group), combo);
          expect({ where: `${w.file}: ${id}`, stack, group }).toEqual({ where: `${w.file}: ${id}`, stack, group: `pulumi-stack-${stack}` });
          groups.set(stack, new Set([...(groups.get(stack) ?? []), group]));
        }
      }
    }
    expect([...groups.keys()].sort()).toEqual([...STACKS].sort());
  });

  it("never use `pull_request_target`, which runs a fork's pull request with secrets and a write token", () => {
    for (const w of workflows)
      expect({ file: w.file, events: Object.keys(w.on) }).not.toEqual({
        file: w.file,
        events: expect.arrayContaining(["pull_request_target"]),
      });
  });

  it("never run a state-writing `pulumi refresh`", () => {
    for (const [w, id, job] of allJobs()) {
      for (const step of pulumiCommands(job))
        expect({ where: `${w.file}: ${id}`, command: withOf(step).command }).not.toEqual({ where: `${w.file}: ${id}`, command: "refresh" });
      for (const step of stepsOf(job)) expect(runOf(step)).not.toMatch(/\bpulumi\s+refresh\b/);
    }
  });
});

describe("the pinned Pulumi CLI", () => {
  const pinned = readFileSync(path.join(ROOT, PULUMI_VERSION_FILE), "utf8").trim();

  it("is one exact version", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("is at least the version of the Pulumi SDK the program depends on", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const sdk = pkg.dependencies["@pulumi/pulumi"];
    expect(compareVersions(semver(pinned), semver(sdk))).toBeGreaterThanOrEqual(0);
  });
});

describe("pull requests (ci.yml)", () => {
  const ci = workflow("ci.yml");
  const preview = Object.values(ci.jobs).find((job) => pulumiCommands(job).some((s) => withOf(s).command === "preview"));

  it("runs on every pull request", () => {
    expect(Object.keys(ci.on)).toContain("pull_request");
    expect(ci.name).toBe("CI");
  });

  it("runs `npm test`", () => {
    expect(Object.values(ci.jobs).some((job) => stepsOf(job).some((s) => /^npm test$/m.test(runOf(s))))).toBe(true);
  });

  it("runs the offline review and uploads it, with the pull request number, as an artifact", () => {
    const review = Object.values(ci.jobs).find((job) => stepsOf(job).some((s) => /\bnpm run\b.*\breview\b.*--base/.test(runOf(s))));
    expect(review).toBeDefined();
    const steps = stepsOf(review as Job);
    const reviewStep = steps.find((s) => /\breview\b/.test(runOf(s))) as Step;
    expect(runOf(reviewStep)).toContain("--format markdown");
    expect(Object.values(reviewStep.env ?? {})).toContain("${{ github.event.pull_request.number }}");
    expect(steps.some((s) => isAction(s, "actions/upload-artifact"))).toBe(true);
    expect(JSON.stringify(review)).not.toMatch(/secrets\./);
  });

  it("previews a stack with the official pulumi/actions, the policy pack, and one PR comment edited on each push", () => {
    expect(preview).toBeDefined();
    const step = pulumiCommands(preview as Job).find((s) => withOf(s).command === "preview") as Step;
    expect(withOf(step)).toEqual(
      expect.objectContaining({
        "comment-on-pr": true,
        "edit-pr-comment": true,
        policyPacks: "policy",
        policyPackConfigs: "policy/config/${{ matrix.stack }}.json",
      }),
    );
    expect(asDict((preview as Job).permissions)).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("previews both dev and prod", () => {
    expect(
      matrixCombinations(preview as Job)
        .map((combo) => combo.stack)
        .sort(),
    ).toEqual([...STACKS].sort());
  });

  it("previews only pull requests from this repository: forks get no secrets", () => {
    expect((preview as Job).if).toMatch(/github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository/);
  });

  it("replaces the stack's deploy credentials with the read-only application before previewing", () => {
    expectReadOnlyOverride(preview as Job);
  });

  it("gives PULUMI_ACCESS_TOKEN only to the steps that talk to Pulumi, not to `npm ci`", () => {
    for (const job of Object.values(ci.jobs)) {
      expect(JSON.stringify(job.env ?? {})).not.toContain("secrets.");
      for (const step of stepsOf(job).filter((s) => /npm ci/.test(runOf(s)))) expect(step.env).toBeUndefined();
    }
  });
});

describe("the review comment (review-comment.yml)", () => {
  const comment = workflow("review-comment.yml");
  const jobs = Object.values(comment.jobs);

  it("runs when CI completes, in this repository's context", () => {
    const trigger = asDict(comment.on.workflow_run);
    expect(trigger.workflows).toEqual([workflow("ci.yml").name]);
    expect(trigger.types).toEqual(["completed"]);
  });

  it("is the only workflow_run workflow", () => {
    expect(workflows.filter((w) => "workflow_run" in w.on).map((w) => w.file)).toEqual(["review-comment.yml"]);
  });

  it("never checks out the pull request's code", () => {
    for (const job of jobs) {
      expect(stepsOf(job).filter((s) => isAction(s, "actions/checkout"))).toEqual([]);
      expect(JSON.stringify(job)).not.toMatch(/head_sha\s*}}|head\.sha\s*}}|head_branch|allow-unsafe-pr-checkout/);
    }
  });

  it("never installs or runs anything (no npm ci, npm test, npx or node)", () => {
    for (const job of jobs) for (const step of stepsOf(job)) expect(runOf(step)).not.toMatch(/\b(npm|npx|node|yarn|pnpm)\b/);
  });

  it("may read the CI run's artifacts and write pull request comments, and nothing else", () => {
    for (const job of jobs) expect(job.permissions).toEqual({ actions: "read", "pull-requests": "write" });
  });

  it("downloads the review artifact of the run that triggered it", () => {
    const download = jobs.flatMap(stepsOf).find((s) => isAction(s, "actions/download-artifact")) as Step;
    expect(withOf(download)).toEqual(expect.objectContaining({ name: "pr-review", "run-id": "${{ github.event.workflow_run.id }}" }));
  });

  it("keeps one comment per pull request: it finds its hidden marker and edits that comment", () => {
    const script = String(withOf(jobs.flatMap(stepsOf).find((s) => isAction(s, "actions/github-script")) as Step).script);
    expect(script).toMatch(/<!--[^>]+-->/);
    expect(script).toContain("updateComment");
    expect(script).toContain("createComment");
  });

  it("trusts nothing in the artifact: it posts only where the pull request's head is the commit CI reviewed", () => {
    const script = String(withOf(jobs.flatMap(stepsOf).find((s) => isAction(s, "actions/github-script")) as Step).script);
    expect(script).toContain("pulls.get");
    expect(script).toMatch(/pr\.head\.sha\s*!==\s*run\.head_sha/);
  });
});

describe("ephemeral stacks (ephemeral.yml, ephemeral-gc.yml)", () => {
  const ephemeral = workflow("ephemeral.yml");
  const jobWithRun = (w: Workflow, pattern: RegExp): Job | undefined =>
    Object.values(w.jobs).find((job) => stepsOf(job).some((s) => pattern.test(runOf(s))));
  const up = jobWithRun(ephemeral, /\bephemeral -- up\b/);
  const destroy = jobWithRun(ephemeral, /\bephemeral -- destroy\b/);

  it("runs on pull requests, including when they close", () => {
    expect(asDict(ephemeral.on.pull_request).types).toEqual(expect.arrayContaining(["opened", "synchronize", "reopened", "closed"]));
  });

  it("brings up (and smoke-checks) a stack named after the pull request, for pull requests from this repository", () => {
    expect(up).toBeDefined();
    expect((up as Job).if).toMatch(/action != 'closed'/);
    expect((up as Job).if).toMatch(/head\.repo\.full_name == github\.repository/);
    expect(JSON.stringify(up)).toContain("pr-${{ github.event.pull_request.number }}");
  });

  it("destroys it when the pull request closes", () => {
    expect(destroy).toBeDefined();
    expect((destroy as Job).if).toMatch(/action == 'closed'/);
    expect(JSON.stringify(destroy)).toContain("pr-${{ github.event.pull_request.number }}");
  });

  it("queues up and destroy of one pull request's stack in one group", () => {
    expect(asDict((up as Job).concurrency).group).toBe(asDict((destroy as Job).concurrency).group);
    expect(asDict((up as Job).concurrency).group).toContain("${{ github.event.pull_request.number }}");
  });

  it("uses the sandbox tenant's credentials and no other tenant's", () => {
    for (const job of [up, destroy] as Job[]) {
      const text = JSON.stringify(job);
      for (const name of ["AUTH0_SANDBOX_DOMAIN", "AUTH0_SANDBOX_CLIENT_ID", "AUTH0_SANDBOX_CLIENT_SECRET", "PULUMI_SANDBOX_TOKEN"])
        expect(text).toContain(`secrets.${name}`);
      expect(text).not.toMatch(/secrets\.(AUTH0_(DEV|PROD|DEPLOY)_|PULUMI_(ACCESS|PREVIEW|DEPLOY)_TOKEN)/);
    }
  });

  it("masks sensitive outputs before it prints them", () => {
    expect(stepsOf(up as Job).some((s) => runOf(s).includes("::add-mask::"))).toBe(true);
  });

  it("garbage-collects stale ephemeral stacks on a schedule", () => {
    const gc = workflow("ephemeral-gc.yml");
    expect(Object.keys(gc.on)).toContain("schedule");
    expect(jobWithRun(gc, /\bephemeral -- gc --older-than\b/)).toBeDefined();
  });
});

describe("deploys (deploy.yml)", () => {
  const deploy = workflow("deploy.yml");
  const upJob = (stack: string): [string, Job] | undefined =>
    jobsOf(deploy).find(([, job]) => pulumiCommands(job).some((s) => withOf(s).command === "up" && withOf(s)["stack-name"] === stack));

  it("runs on every push to main", () => {
    expect(asDict(deploy.on.push).branches).toEqual(["main"]);
  });

  it("runs `pulumi up` for dev", () => {
    expect(upJob("dev")).toBeDefined();
  });

  it("runs `pulumi up` for prod only after dev, in the `production` environment (required reviewers)", () => {
    const [devId] = upJob("dev") as [string, Job];
    const [, prod] = upJob("prod") as [string, Job];
    expect(environmentName(prod)).toBe("production");
    expect(needsOf(prod)).toContain(devId);
  });

  it("runs `pulumi up` for dev in the `dev` environment, whose secrets only main can open", () => {
    const [, dev] = upJob("dev") as [string, Job];
    expect(environmentName(dev)).toBe("dev");
  });

  it("hands each `pulumi up` its environment's deploy token, and the deploy secret as AUTH0_CLIENT_SECRET", () => {
    for (const stack of STACKS) {
      const [, job] = upJob(stack) as [string, Job];
      expect(job.if).toBe("github.ref == 'refs/heads/main'");
      expect(pulumiCommands(job)[0].env).toEqual({
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_DEPLOY_TOKEN }}",
        AUTH0_CLIENT_SECRET: "${{ secrets.AUTH0_DEPLOY_CLIENT_SECRET }}",
      });
    }
  });

  it("writes no Auth0 config: the stack file names the deploy application, the environment holds its secret", () => {
    for (const [, job] of jobsOf(deploy)) for (const step of stepsOf(job)) expect(runOf(step)).not.toMatch(/pulumi config set/);
  });

  it("applies the policy pack to each deploy", () => {
    for (const stack of STACKS) {
      const [, job] = upJob(stack) as [string, Job];
      const step = pulumiCommands(job)[0];
      expect(withOf(step)).toEqual(expect.objectContaining({ policyPacks: "policy", policyPackConfigs: `policy/config/${stack}.json` }));
    }
  });
});

describe("drift (drift.yml)", () => {
  const drift = workflow("drift.yml");
  const check = Object.values(drift.jobs).find((job) => pulumiCommands(job).length > 0) as Job;
  const step = (): Step => pulumiCommands(check)[0];

  it("runs on a schedule", () => {
    expect(Object.keys(drift.on)).toContain("schedule");
  });

  it("checks each stack", () => {
    expect(
      matrixCombinations(check)
        .map((combo) => combo.stack)
        .sort(),
    ).toEqual([...STACKS].sort());
  });

  it("runs `pulumi preview --refresh` with expect-no-changes, so drift fails the job", () => {
    expect(withOf(step())).toEqual(expect.objectContaining({ command: "preview", refresh: true, "expect-no-changes": true }));
  });

  it("pins pulumi/actions at v6 or later, where `refresh: true` means `--refresh` and not a state-writing `pulumi refresh`", () => {
    const line = usesLines(drift.text).find((l) => l.reference === step().uses) as { rest: string };
    const major = Number(/#\s*v(\d+)/.exec(line.rest)?.[1]);
    expect(major).toBeGreaterThanOrEqual(6);
  });

  it("reads the tenant with the read-only application", () => {
    expectReadOnlyOverride(check);
  });

  it("runs in the `drift` environment, so that a dispatch of another branch cannot run it", () => {
    expect(environmentName(check)).toBe("drift");
  });

  it("reports a failure in an issue", () => {
    const report = Object.values(drift.jobs).find((job) => /failure\(\)/.test(job.if ?? "")) as Job;
    expect(report).toBeDefined();
    expect(report.permissions).toEqual({ issues: "write" });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Who can reach what (issue 11, §1). A pull request's jobs run the branch's own code, and for `pull_request`
// events GitHub takes the workflow file itself from the branch, so anything a job of such a workflow can
// name is reachable by whoever pushes a branch. The same holds for `workflow_dispatch` (any branch can be
// chosen) unless the job runs in an environment that admits `main` only: GitHub checks an environment's
// deployment branches before the job starts and gives the job the environment's secrets only after
// (docs.github.com, "Using environments for deployment"). So deploy credentials live only as secrets of
// such environments, and no job that can run branch code names them.
// ---------------------------------------------------------------------------------------------------------

type Tier = "read-only" | "sandbox" | "deploy";

/** Every secret the workflows may name, and what it can do (docs/pull-requests.md, "Secrets and who holds them"). */
const SECRET_TIERS: Record<string, Tier> = {
  PULUMI_PREVIEW_TOKEN: "read-only", // Pulumi "Stack Read" on dev and prod: previews, no updates
  AUTH0_DEV_READONLY_CLIENT_ID: "read-only",
  AUTH0_DEV_READONLY_CLIENT_SECRET: "read-only",
  AUTH0_PROD_READONLY_CLIENT_ID: "read-only",
  AUTH0_PROD_READONLY_CLIENT_SECRET: "read-only",
  PULUMI_SANDBOX_TOKEN: "sandbox", // a separate Pulumi organization that holds only eph-* stacks
  AUTH0_SANDBOX_DOMAIN: "sandbox",
  AUTH0_SANDBOX_CLIENT_ID: "sandbox",
  AUTH0_SANDBOX_CLIENT_SECRET: "sandbox",
  PULUMI_DEPLOY_TOKEN: "deploy", // environment secrets of `dev` and `production` only
  AUTH0_DEPLOY_CLIENT_SECRET: "deploy",
};

/** Environments whose deployment branches are `main` only (set in the repository's settings, see the docs). */
const MAIN_ONLY_ENVIRONMENTS = ["dev", "production", "drift"];
const DEPLOY_ENVIRONMENTS = ["dev", "production"];
const EVERY_SECRET = "(every secret)";

interface Reach {
  /** Whether code or workflow text from a branch that is not yet merged can run in this job. */
  branchCode: boolean;
  environment?: string;
  /** GitHub secrets the job names, matrix expanded, sorted. */
  secrets: string[];
  /** The job's GITHUB_TOKEN permissions. */
  token: Dict;
}

/** The map this repository promises: every job, what it runs and what it can reach. */
const READ_ONLY_PREVIEW = [
  "AUTH0_DEV_READONLY_CLIENT_ID",
  "AUTH0_DEV_READONLY_CLIENT_SECRET",
  "AUTH0_PROD_READONLY_CLIENT_ID",
  "AUTH0_PROD_READONLY_CLIENT_SECRET",
  "PULUMI_PREVIEW_TOKEN",
];
const SANDBOX = ["AUTH0_SANDBOX_CLIENT_ID", "AUTH0_SANDBOX_CLIENT_SECRET", "AUTH0_SANDBOX_DOMAIN", "PULUMI_SANDBOX_TOKEN"];
const DEPLOY = ["AUTH0_DEPLOY_CLIENT_SECRET", "PULUMI_DEPLOY_TOKEN"];
const EXPECTED_REACH: Record<string, Reach> = {
  "ci.yml › test": { branchCode: true, secrets: [], token: { contents: "read" } },
  "ci.yml › review": { branchCode: true, secrets: [], token: { contents: "read" } },
  "ci.yml › preview": { branchCode: true, secrets: READ_ONLY_PREVIEW, token: { contents: "read", "pull-requests": "write" } },
  "ephemeral.yml › up": { branchCode: true, secrets: SANDBOX, token: { contents: "read" } },
  "ephemeral.yml › destroy": { branchCode: true, secrets: SANDBOX, token: { contents: "read" } },
  "ephemeral-gc.yml › gc": { branchCode: true, secrets: SANDBOX, token: { contents: "read" } },
  "properties.yml › properties": { branchCode: true, secrets: [], token: { contents: "read" } },
  "review-comment.yml › comment": { branchCode: false, secrets: [], token: { actions: "read", "pull-requests": "write" } },
  "drift.yml › drift": { branchCode: false, environment: "drift", secrets: READ_ONLY_PREVIEW, token: { contents: "read" } },
  "drift.yml › report": { branchCode: true, secrets: [], token: { issues: "write" } },
  "deploy.yml › test": { branchCode: true, secrets: [], token: { contents: "read" } },
  "deploy.yml › dev": { branchCode: false, environment: "dev", secrets: DEPLOY, token: { contents: "read" } },
  "deploy.yml › prod": { branchCode: false, environment: "production", secrets: DEPLOY, token: { contents: "read" } },
};

/** The secrets a job names: `secrets.X`, and `secrets[format('{0}_X', matrix.k)]` for each matrix combination. */
function secretsOf(job: Job): string[] {
  const text = JSON.stringify(job);
  if (/secrets:\s*inherit|"secrets":"inherit"|toJSON\(\s*secrets\s*\)|secrets\[(?!format\()/.test(text)) return [EVERY_SECRET];
  const names = new Set([...text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]));
  for (const m of text.matchAll(/secrets\[format\('([^']*)',\s*matrix\.([A-Za-z0-9_-]+)\)\]/g))
    for (const combo of matrixCombinations(job)) names.add(m[1].replace("{0}", String(combo[m[2]])));
  names.delete("GITHUB_TOKEN"); // the job's token: its permissions are listed separately
  return [...names].sort();
}

/** Whether a job can run code or workflow text from a branch that is not merged yet. */
function runsBranchCode(w: Pick<Workflow, "on">, job: Job): boolean {
  const on = Object.keys(w.on);
  if (on.some((event) => event === "pull_request" || event === "pull_request_target")) return true;
  const pushBranches = asDict(w.on.push).branches;
  const pushesOtherBranches = "push" in w.on && !(Array.isArray(pushBranches) && pushBranches.every((b) => b === "main"));
  const dispatchable = on.includes("workflow_dispatch") || on.includes("repository_dispatch") || pushesOtherBranches;
  const environment = environmentName(job);
  return dispatchable && !(environment !== undefined && MAIN_ONLY_ENVIRONMENTS.includes(environment));
}

function reachOf(w: Pick<Workflow, "on">, job: Job): Reach {
  const environment = environmentName(job);
  return {
    branchCode: runsBranchCode(w, job),
    ...(environment !== undefined && { environment }),
    secrets: secretsOf(job),
    token: asDict(job.permissions),
  };
}

/** What is wrong with a job's reach: the rules of docs/pull-requests.md as checks. */
function violations(where: string, reach: Reach, job: Job): string[] {
  const out: string[] = [];
  const tiers = reach.secrets.map((name) => (name === EVERY_SECRET ? "deploy" : SECRET_TIERS[name]));
  for (const name of reach.secrets.filter((n) => n !== EVERY_SECRET && !(n in SECRET_TIERS)))
    out.push(`${where}: names ${name}, which SECRET_TIERS does not classify`);
  if (reach.branchCode && tiers.includes("deploy")) out.push(`${where}: runs branch code and can reach a deploy credential`);
  if (reach.branchCode && asDict(job.permissions)["id-token"] === "write")
    out.push(
      `${where}: runs branch code and can mint an OIDC token, which a Pulumi or cloud trust policy could exchange for a deploy token`,
    );
  if (tiers.includes("deploy")) {
    if (!DEPLOY_ENVIRONMENTS.includes(reach.environment ?? ""))
      out.push(`${where}: reaches a deploy credential outside the dev/production environments`);
    if (job.if !== "github.ref == 'refs/heads/main'") out.push(`${where}: reaches a deploy credential without requiring main`);
  }
  if (tiers.includes("sandbox") && tiers.some((t) => t !== "sandbox"))
    out.push(`${where}: mixes the sandbox's credentials with another tenant's`);
  return out;
}

describe("who can reach which secret and token", () => {
  const actual: Record<string, Reach> = Object.fromEntries(allJobs().map(([w, id, job]) => [`${w.file} › ${id}`, reachOf(w, job)]));

  it("is exactly the map above, job by job: secrets, GITHUB_TOKEN permissions, environment, branch code", () => {
    expect(actual).toEqual(EXPECTED_REACH);
  });

  it("gives no job that runs branch code a deploy credential, and keeps deploy credentials in dev/production on main", () => {
    expect(allJobs().flatMap(([w, id, job]) => violations(`${w.file} › ${id}`, reachOf(w, job), job))).toEqual([]);
  });

  it("classifies every secret any workflow names", () => {
    const named = new Set(workflows.flatMap((w) => jobsOf(w).flatMap(([, job]) => secretsOf(job))));
    expect([...named].filter((name) => !(name in SECRET_TIERS))).toEqual([]);
  });

  it("keeps the old all-powerful PULUMI_ACCESS_TOKEN secret out of every workflow", () => {
    for (const w of workflows)
      expect({ file: w.file, named: w.text.includes("secrets.PULUMI_ACCESS_TOKEN") }).toEqual({ file: w.file, named: false });
  });

  describe("the checker", () => {
    const pr = { on: { pull_request: null } };
    const dispatch = { on: { workflow_dispatch: null } };
    const check = (w: Pick<Workflow, "on">, job: Job) => violations("job", reachOf(w, job), job);
    const deployStep = (env: Dict): Job => ({ permissions: {}, steps: [{ uses: "pulumi/actions@x", env }] });

    it("flags a pull request job that names the deploy token", () => {
      expect(check(pr, deployStep({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_DEPLOY_TOKEN }}" }))).toContain(
        "job: runs branch code and can reach a deploy credential",
      );
    });

    it("flags a pull request job even when it names the deploy environment (its workflow file is the branch's)", () => {
      const job = {
        ...deployStep({ S: "${{ secrets.AUTH0_DEPLOY_CLIENT_SECRET }}" }),
        environment: "dev",
        if: "github.ref == 'refs/heads/main'",
      };
      expect(check(pr, job)).toContain("job: runs branch code and can reach a deploy credential");
    });

    it("flags a dispatchable job that reaches the deploy secret outside a main-only environment", () => {
      const violations = check(dispatch, deployStep({ S: "${{ secrets.AUTH0_DEPLOY_CLIENT_SECRET }}" }));
      expect(violations).toEqual(
        expect.arrayContaining([
          "job: runs branch code and can reach a deploy credential",
          "job: reaches a deploy credential outside the dev/production environments",
        ]),
      );
    });

    it("counts `secrets: inherit` and toJSON(secrets) as every secret", () => {
      expect(check(pr, { permissions: {}, uses: "./.github/workflows/x.yml", secrets: "inherit" } as Job)).toContain(
        "job: runs branch code and can reach a deploy credential",
      );
      expect(check(pr, deployStep({ ALL: "${{ toJSON(secrets) }}" }))).toContain("job: runs branch code and can reach a deploy credential");
    });

    it("flags an OIDC token in a pull request job, and a secret nobody classified", () => {
      expect(check(pr, { permissions: { "id-token": "write" }, steps: [] })).toHaveLength(1);
      expect(check(pr, deployStep({ X: "${{ secrets.SOMETHING_NEW }}" }))).toEqual([
        "job: names SOMETHING_NEW, which SECRET_TIERS does not classify",
      ]);
    });

    it("accepts the deploy job as deploy.yml writes it", () => {
      const job = {
        ...deployStep({ S: "${{ secrets.AUTH0_DEPLOY_CLIENT_SECRET }}" }),
        environment: "production",
        if: "github.ref == 'refs/heads/main'",
      };
      expect(check({ on: { push: { branches: ["main"] }, workflow_dispatch: null } }, job)).toEqual([]);
    });
  });
});
