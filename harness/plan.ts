// The plan engine: runs the real program under @pulumi/pulumi's own mock engine, in preview mode, with a
// stack's config read from its committed stack file, and returns every resource the program registers.
// `npm run plan`, the infra tests and the benchmark all use it, so what reviewers see is what tests assert.
import * as pulumi from "@pulumi/pulumi";
import { program } from "../infra/program";
import { optionsFor } from "../infra/options";
import { AUTH0_PROVIDER_TYPE } from "../infra/resource-types";
import { parseSettings, PROJECT } from "../infra/settings";
import { withCappedTraces, withTraceHint } from "../infra/traces";
import { RecentCopies } from "./recent-copies";
import { readStackConfig, type StackConfig } from "./stack-file";

export interface PlannedResource {
  urn: string;
  /** Pulumi type token, for example auth0:index/client:Client. */
  type: string;
  /** Logical name. */
  name: string;
  parent: string | null;
  /** retainOnDelete: the engine's delete of it leaves the live object alone (a binding-mode switch, step 1). */
  options: { protect: boolean; retainOnDelete: boolean };
  /**
   * Inputs as the engine receives them; a secret prints as "[secret]" where it sits (an Action secret's name
   * stays readable, its value does not), unknowns as "[unknown]".
   */
  inputs: Record<string, unknown>;
}

export interface Plan {
  stack: string;
  resources: PlannedResource[];
}

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

/** Plans a committed stack: reads Pulumi.<stack>.yaml (defaults from Pulumi.yaml) and runs the program. */
export async function planStack(stack: string, dir?: string): Promise<Plan> {
  return planConfig(readStackConfig(stack, dir));
}

let queue: Promise<unknown> = Promise.resolve();

export interface PlanOptions {
  /** Run the program even when this process has planned the same config before (the benchmark times runs). */
  fresh?: boolean;
}

/**
 * Plans this process has made, by config, most recent last. The program reads nothing but its config (and
 * the Action's source, which does not change while a process runs), so the same config plans the same way:
 * adoption round trips, the review and the tests plan the same stacks again and again.
 */
const plans = new RecentCopies<Plan>(16);

/**
 * Plans from an already-read config. Runs are serialised: Pulumi's runtime state is process-wide. Stack
 * traces are capped while the program runs (infra/traces.ts: most of a plan's time otherwise goes to the
 * SDK's per-promise traces); PULUMI_TENANT_TRACES=1 keeps them. A config planned before in this process
 * gets a copy of that plan, unless `fresh`; a config the program refuses is refused every time.
 */
export function planConfig(stackConfig: StackConfig, options: PlanOptions = {}): Promise<Plan> {
  const key = JSON.stringify([stackConfig.stack, stackConfig.config, stackConfig.secretKeys]);
  const planned = options.fresh ? undefined : plans.get(key);
  if (planned) return Promise.resolve(planned);
  const run = queue.then(() => withCappedTraces(() => runPlan(stackConfig)));
  queue = run.catch(() => undefined);
  return run.then((plan) => {
    plans.set(key, plan);
    return plan;
  });
}

/** What the engine received for one registration (the mock's own callback sees only type, name, inputs). */
interface Registration {
  urn: string;
  parent: string;
  protect: boolean;
  retainOnDelete: boolean;
  /** Provider reference ("<urn>::<id>"); empty for components. */
  provider: string;
  /**
   * The inputs as the program serialised them for the engine, secrets still where they are. The mock's own
   * callback gets them after deserializeProperty, which lifts any nested secret to the whole top-level
   * property (@pulumi/pulumi runtime/rpc.ts: "we want to push secretness up to the top level"), so an
   * Action's secrets list would print as one "[secret]"; a real preview keeps the secret at the value.
   */
  inputs: Record<string, unknown>;
}

async function runPlan({ stack, config, secretKeys }: StackConfig): Promise<Plan> {
  const planned: Omit<PlannedResource, "urn" | "parent" | "inputs">[] = [];
  const registrations = new Map<string, Registration>();
  // Parsed by the one settings parser (a SettingsError here names the key and file before any mock runs).
  const settings = parseSettings(stack, config);

  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        planned.push({
          type: args.type,
          name: args.name,
          options: optionsFor(args.type, { protect: settings.protect, switchTo: settings.postLogin.switchTo }),
        });
        // Preview: outputs the engine would know only after deployment (client IDs, ids) stay unknown.
        return { id: undefined, state: args.inputs };
      },
      call(args) {
        throw new Error(`the program made a call the plan does not model: ${args.token}`);
      },
    },
    PROJECT,
    stack,
    true,
  );
  recordRegistrations(registrations);

  withTraceHint(program);
  // Resources register asynchronously: wait until every registration has reached the mock engine.
  await pulumi.runtime.disconnect();

  const resources = planned.map((resource): PlannedResource => {
    const registration = registrations.get(`${resource.type}::${resource.name}`);
    if (!registration) throw new Error(`no registration recorded for ${resource.type} ${resource.name}`);
    assertExplicitProvider(resource.type, resource.name, registration.provider);
    for (const option of ["protect", "retainOnDelete"] as const) {
      if (registration[option] !== resource.options[option]) {
        throw new Error(
          `${resource.type} "${resource.name}": the program set ${option}=${registration[option]}, infra/options.ts says ${resource.options[option]}`,
        );
      }
    }
    const { type, name, options } = resource;
    const inputs = normalise(registration.inputs) as Record<string, unknown>;
    return { urn: registration.urn, type, name, parent: registration.parent || null, options, inputs };
  });
  return { stack, resources: resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0)) };
}

/**
 * Every Auth0 resource must use the stack's explicit provider: a default provider would read AUTH0_*
 * variables from the environment and could point the stack at another tenant.
 */
function assertExplicitProvider(type: string, name: string, provider: string): void {
  if (type.startsWith("auth0:") && !provider.startsWith(`urn:pulumi:${pulumi.getStack()}::${PROJECT}::${AUTH0_PROVIDER_TYPE}::auth0::`)) {
    throw new Error(`${type} "${name}" does not use the stack's explicit auth0 provider (got "${provider || "default"}")`);
  }
}

/**
 * Wraps the mock monitor's registerResource to note each resource's URN and parent (which the Mocks
 * callback does not receive). Keyed by type and logical name, unique within this program.
 */
function recordRegistrations(into: Map<string, Registration>): void {
  type Request = {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProtect(): boolean;
    getRetainondelete(): boolean | undefined;
    getProvider(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  };
  type Response = { getUrn(): string } | undefined;
  type Callback = (error: Error | null, response: Response) => void;
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, cb: Callback): void };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    original(req, (error, response) => {
      if (response) {
        into.set(`${req.getType()}::${req.getName()}`, {
          urn: response.getUrn(),
          parent: req.getParent(),
          protect: req.getProtect(),
          retainOnDelete: req.getRetainondelete() ?? false,
          provider: req.getProvider(),
          inputs: req.getObject()?.toJavaScript() ?? {},
        });
      }
      callback(error, response);
    });
}

/**
 * Replaces secrets and unknowns with printable markers, at any depth, in deserialised values or in the wire
 * form (@pulumi/pulumi runtime/rpc.ts: unknownValue, specialSecretSig, specialResourceSig); sorts nothing,
 * drops undefined.
 */
export function normalise(value: unknown): unknown {
  if (value === pulumi.runtime.unknownValue) return UNKNOWN;
  if (value === undefined || value === null || typeof value !== "object") return value;
  if (pulumi.Output.isInstance(value) || pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(normalise);
  const record = value as Record<string, unknown>;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return SECRET;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialResourceSig) return UNKNOWN;
  if (pulumi.Resource.isInstance(value)) return UNKNOWN;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (item !== undefined) result[key] = normalise(item);
  }
  return result;
}
