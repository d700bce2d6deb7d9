// Binding-mode switches and replacements driven through the model of Pulumi's step order and the provider's
// semantics (./update-model.ts), with plans of the real program: the claim-mapping Action must be bound at
// every step of every update the project lets through, and every unsafe update is named before `pulumi up`.
import { planConfig, type Plan, type PlannedResource } from "../../../harness/plan";
import { readStackConfig } from "../../../harness/stack-file";
import { parseSettings } from "../../../infra/settings";
import { updateRisks } from "./risks";
import { TYPES } from "../../../infra/resource-types";
import { claimMappingBound, deployed, runUpdate, type TenantModel, updateSteps } from "./update-model";

/** A committed stack planned with tenant:postLogin replaced. */
function planWith(stack: "dev" | "prod", postLogin: Record<string, unknown>): Promise<Plan> {
  const stackConfig = readStackConfig(stack);
  return planConfig({ ...stackConfig, config: { ...stackConfig.config, "tenant:postLogin": JSON.stringify(postLogin) } });
}

const owner = { mode: "owner", actions: ["claim-mapping"], adopted: true };
const additive = { mode: "additive", actions: ["claim-mapping"] };
const another = { actionId: "another-stacks-action", displayName: "another stack's Action" };

/** Runs the updates one after the other from the first plan's deployment; every step's binding state. */
function updates(plans: Plan[], postLogin: TenantModel["postLogin"] = []) {
  let tenant = deployed(plans[0], postLogin);
  const seen: { update: number; step: string; bound: boolean }[] = [{ update: 0, step: "before", bound: claimMappingBound(tenant) }];
  for (let i = 1; i < plans.length; i++) {
    const run = runUpdate(plans[i - 1], plans[i], tenant);
    if (run.failure) throw new Error(run.failure.message);
    seen.push(...run.steps.map((s) => ({ update: i, step: s.text, bound: s.claimMappingBound })));
    tenant = run.tenant;
  }
  return { seen, tenant };
}

const plans: Record<string, Plan> = {};
beforeAll(async () => {
  plans.owner = await planWith("dev", owner);
  plans.ownerSwitching = await planWith("dev", { ...owner, switchTo: "additive" });
  plans.additive = await planWith("dev", additive);
  plans.additiveSwitching = await planWith("dev", { ...additive, switchTo: "owner" });
  plans.prodOwner = await planWith("prod", owner);
  plans.prodOwnerSwitching = await planWith("prod", { ...owner, switchTo: "additive" });
  plans.prodAdditive = await planWith("prod", additive);
});

describe("the provider model", () => {
  const binding = (type: string, name: string, inputs: Record<string, unknown>, retainOnDelete = false): PlannedResource => ({
    urn: `urn:pulumi:t::tenant::${type}::${name}`,
    type,
    name,
    parent: null,
    options: { protect: false, retainOnDelete },
    inputs,
  });
  const action = binding(TYPES.action, "claim-mapping", { name: "claim-mapping" });
  const plan = (...resources: PlannedResource[]): Plan => ({ stack: "t", resources: [action, ...resources] });
  const list = binding(TYPES.triggerActions, "post-login", {
    trigger: "post-login",
    actions: [{ id: "[unknown]", displayName: "claim-mapping" }],
  });
  const one = binding(TYPES.triggerAction, "post-login-claim-mapping", {
    trigger: "post-login",
    actionId: "[unknown]",
    displayName: "claim-mapping",
  });

  it("TriggerAction appends its Action behind what is bound, and its delete removes only its own entry", () => {
    const tenant = deployed(plan(one), [another]);
    expect(tenant.postLogin.map((b) => b.displayName)).toEqual(["another stack's Action", "claim-mapping"]);
    const run = runUpdate(plan(one), { stack: "t", resources: [action] }, tenant);
    expect(run.tenant.postLogin).toEqual([another]);
  });
  it("TriggerActions writes the whole list, and its delete sets it to []", () => {
    const tenant = deployed(plan(list), [another]);
    expect(tenant.postLogin.map((b) => b.displayName)).toEqual(["claim-mapping"]);
    expect(runUpdate(plan(list), { stack: "t", resources: [action] }, tenant).tenant.postLogin).toEqual([]);
  });
  it("TriggerAction adopts an entry already bound to its Action instead of adding a second", () => {
    const run = runUpdate(plan(list), plan(one), deployed(plan(list)));
    expect(run.steps.map((s) => [s.text, s.claimMappingBound])).toEqual([
      ['create TriggerAction "post-login-claim-mapping"', true],
      ['delete TriggerActions "post-login"', false],
    ]);
  });
  it("a retained resource's delete leaves Auth0 alone", () => {
    const retained = { ...list, options: { protect: false, retainOnDelete: true } };
    const run = runUpdate(plan(retained), plan(one), deployed(plan(retained)));
    expect(run.steps.every((s) => s.claimMappingBound)).toBe(true);
    expect(run.tenant.postLogin.map((b) => b.displayName)).toEqual(["claim-mapping"]);
  });
  it("creates and replaces first and deletes at the end, dependents before what they depend on", () => {
    const steps = updateSteps(plan(list), { stack: "t", resources: [one] });
    expect(steps.map((s) => `${s.op} ${s.resource.name}`)).toEqual([
      "create post-login-claim-mapping",
      "delete post-login",
      "delete claim-mapping",
    ]);
  });
  it("refuses to delete an Action that is still bound", () => {
    const run = runUpdate(plan(one), { stack: "t", resources: [] }, deployed(plan(one)));
    // The binding goes first (it depends on the Action), so the Action's delete succeeds.
    expect(run.failure).toBeUndefined();
    const foreignBound = deployed({ stack: "t", resources: [action] }, []);
    foreignBound.postLogin.push({ actionId: foreignBound.objects[0].id, displayName: "bound by hand" });
    expect(runUpdate({ stack: "t", resources: [action] }, { stack: "t", resources: [] }, foreignBound).failure?.message).toMatch(
      /still bound \(409\)/,
    );
  });
});

describe("a binding-mode switch", () => {
  it("owner → additive in one update leaves post-login without the claim-mapping Action, and the review says so", () => {
    const { seen, tenant } = updates([plans.owner, plans.additive]);
    expect(seen).toContainEqual({ update: 1, step: 'delete TriggerActions "post-login"', bound: false });
    expect(tenant.postLogin).toEqual([]);
    expect(updateRisks(plans.owner, plans.additive)).toEqual([
      {
        level: "breaks",
        subject: "post-login binding mode owner → additive in one update",
        message: expect.stringMatching(
          /^after "delete TriggerActions "post-login"", post-login runs without the claim-mapping Action.*add switchTo: additive under tenant:postLogin in Pulumi.dev.yaml.*set mode: additive, remove switchTo/,
        ),
      },
    ]);
  });
  it("additive → owner in one update loses the entry to the old TriggerAction's delete", () => {
    const { seen } = updates([plans.additive, plans.owner], [another]);
    expect(seen).toContainEqual({ update: 1, step: 'delete TriggerAction "post-login-claim-mapping"', bound: false });
    expect(updateRisks(plans.additive, plans.owner)[0]).toMatchObject({
      level: "breaks",
      message: expect.stringMatching(/switchTo: owner/),
    });
  });
  it.each([
    ["owner → additive", ["owner", "ownerSwitching", "additive"]],
    ["additive → owner", ["additive", "additiveSwitching", "owner"]],
    ["owner → additive in prod, where the bindings are protected", ["prodOwner", "prodOwnerSwitching", "prodAdditive"]],
  ])("%s in two steps keeps the claim-mapping Action bound at every step", (_name, sequence) => {
    const { seen, tenant } = updates(sequence.map((key) => plans[key]));
    expect(seen.filter((s) => !s.bound)).toEqual([]);
    expect(seen.some((s) => s.update === 2)).toBe(true);
    expect(claimMappingBound(tenant)).toBe(true);
  });
  it("names both steps of a prepared switch as expected, not as risks", () => {
    expect(updateRisks(plans.owner, plans.ownerSwitching)).toEqual([
      {
        level: "safe",
        subject: "step 1 of switching post-login from owner to additive",
        message: expect.stringMatching(/records retainOnDelete, unprotected, on TriggerActions "post-login" and changes nothing in Auth0/),
      },
    ]);
    expect(updateRisks(plans.ownerSwitching, plans.additive)).toEqual([
      expect.objectContaining({ level: "safe", subject: "post-login binding mode owner → additive" }),
    ]);
  });
  it("in prod, the one-update switch stops half-way at the protected TriggerActions", () => {
    const risks = updateRisks(plans.prodOwner, plans.prodAdditive);
    expect(risks.map((r) => r.level)).toEqual(["breaks", "breaks"]);
    expect(risks[1]).toMatchObject({ subject: "update stops half-way", message: expect.stringMatching(/protected/) });
  });
  it("step 1 records retainOnDelete on the outgoing binding only, unprotected, and changes nothing in Auth0", () => {
    const bindingOf = (plan: Plan) => plan.resources.find((r) => r.type === TYPES.triggerActions)!;
    expect(bindingOf(plans.prodOwner).options).toEqual({ protect: true, retainOnDelete: false });
    expect(bindingOf(plans.prodOwnerSwitching).options).toEqual({ protect: false, retainOnDelete: true });
    expect(plans.prodOwnerSwitching.resources.filter((r) => r.options.retainOnDelete)).toHaveLength(1);
    expect(updateSteps(plans.prodOwner, plans.prodOwnerSwitching)).toEqual([]);
  });
});

describe("replacements and moves of resources with a unique name", () => {
  /** The dev plan with one resource moved to another logical name, as a renamed key would. */
  function moved(plan: Plan, type: string, name: string, to: string): Plan {
    const copy = JSON.parse(JSON.stringify(plan)) as Plan;
    const resource = copy.resources.find((r) => r.type === type && r.name === name)!;
    resource.urn = resource.urn.replace(new RegExp(`::${name}$`), `::${to}`);
    resource.name = to;
    return copy;
  }
  it("replacing the API for a new identifier creates the new one first and does not collide", () => {
    const head = JSON.parse(JSON.stringify(plans.owner)) as Plan;
    for (const r of head.resources) {
      if (r.type === TYPES.resourceServer) r.inputs.identifier = "https://api2.dev.myapp.com/";
      if (r.type === TYPES.clientGrant) r.inputs.audience = "https://api2.dev.myapp.com/";
    }
    const run = runUpdate(plans.owner, head, deployed(plans.owner));
    expect(run.failure).toBeUndefined();
    expect(run.steps[0].text).toBe('create the replacement of ResourceServer "api"');
  });
  it.each([
    ["role", TYPES.role, "roles-admin", /a role named "admin"/],
    ["Action", TYPES.action, "claim-mapping", /an Action named "claim-mapping"/],
    ["API", TYPES.resourceServer, "api", /an API with the identifier https:\/\/api.dev.myapp.com\//],
  ])("a %s moved to a new logical name collides with itself on Auth0's unique name", (_label, type, name, clash) => {
    const risks = updateRisks(plans.owner, moved(plans.owner, type, name, `${name}-2`));
    expect(risks).toContainEqual({ level: "breaks", subject: "update stops half-way", message: expect.stringMatching(clash) });
  });
  it("a grant replaced for the same application and API collides with itself", () => {
    const head = JSON.parse(JSON.stringify(plans.owner)) as Plan;
    const grant = head.resources.find((r) => r.type === TYPES.clientGrant)!;
    grant.inputs.subjectType = "client";
    const [failure] = updateRisks(plans.owner, head);
    expect(failure).toMatchObject({ level: "breaks", subject: "update stops half-way" });
    expect(failure.message).toMatch(
      /create the replacement of ClientGrant "reports-worker-grant": Auth0 already has a grant for \(.*reports-worker.*, https:\/\/api\.dev\.myapp\.com\/\)/,
    );
  });
  it("an application moved to a new logical name gets a new client ID", () => {
    const risks = updateRisks(plans.owner, moved(plans.owner, TYPES.client, "dashboard", "dashboard-app"));
    expect(risks).toContainEqual({
      level: "breaks",
      subject: 'application "MyApp Dashboard (dev)"',
      message: expect.stringMatching(/new client ID.*aliases: \[\{ name: "dashboard" \}\]/),
    });
  });
  it("an unchanged stack has no risks", () => {
    expect(updateRisks(plans.owner, plans.owner)).toEqual([]);
  });
});

describe("tenant:postLogin.switchTo", () => {
  it("is refused once mode already has its value, naming the key and the file", () => {
    const { config } = readStackConfig("dev");
    const postLogin = JSON.stringify({ ...additive, switchTo: "additive" });
    expect(() => parseSettings("dev", { ...config, "tenant:postLogin": postLogin })).toThrow(
      /Pulumi\.dev\.yaml:\n {2}- tenant:postLogin\.switchTo: mode is already additive: step 2 of a switch sets mode and removes switchTo/,
    );
  });
  it("is refused in an ephemeral stack, which binds additively in a shared tenant", () => {
    const { config } = readStackConfig("dev");
    const ephemeral = {
      ...config,
      "tenant:protect": "false",
      "tenant:isolation": JSON.stringify({ id: "t1", protectedDomains: ["myapp.eu.auth0.com"] }),
      "tenant:postLogin": JSON.stringify({ ...additive, switchTo: "owner" }),
    };
    expect(() => parseSettings("eph-t1", ephemeral)).toThrow(
      /tenant:postLogin\.switchTo: an ephemeral stack shares the sandbox tenant's post-login list .* cannot switch to owner/,
    );
  });
});

describe("a protected resource", () => {
  it("may be replaced in the update that unprotects it, as the engine allows", () => {
    const head = JSON.parse(JSON.stringify(plans.prodOwner)) as Plan;
    const api = head.resources.find((r) => r.type === TYPES.resourceServer)!;
    api.inputs.identifier = "https://api2.myapp.com/";
    expect(updateRisks(plans.prodOwner, head)).toContainEqual(
      expect.objectContaining({ subject: "update stops half-way", message: expect.stringMatching(/engine refuses to replace it/) }),
    );
    api.options.protect = false;
    expect(updateRisks(plans.prodOwner, head)).toEqual([]);
  });
});
