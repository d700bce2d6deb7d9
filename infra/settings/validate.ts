// Rules that relate one config key to another, and Auth0's limits on the values we derive. Each returns
// problems as { key, message } so the caller can name the key and the stack file.
import { claimDropReason, clientMetadataProblems, namespaceHost } from "../../auth0/rules";
import { AUTHORIZATION_CLAIMS, CLAIM_MAPPING, CLIENT_METADATA_KEYS } from "../../actions/claim-mapping/settings";
import { clientMetadataFor } from "../clients";
import { roleKey } from "../names";
import { suggestion } from "../nearest";
import { stackTag } from "./isolation";
import { bindingLabel, bindingsOf } from "../bindings";
import type { TenantConfig } from "./schema";

export interface Problem {
  /** The config key and path, for example tenant:applications[2].tier */
  key: string;
  message: string;
}

/** The managed Actions a binding list may name. */
export const MANAGED_ACTIONS = [CLAIM_MAPPING] as const;

/** Claim names (after the namespace) that the claim-mapping Action sets from authorization data. */
const AUTHORIZATION_CLAIM_NAMES: readonly string[] = Object.values(AUTHORIZATION_CLAIMS);

export function crossCheck(config: TenantConfig): Problem[] {
  return [
    ...duplicates(
      config.applications.map((a) => a.key),
      (i) => `tenant:applications[${i}].key`,
    ),
    ...duplicates(
      config.applications.map((a) => a.name),
      (i) => `tenant:applications[${config.applications[i].key}].name`,
    ),
    // A duplicated key cannot name its item: these two say which one by its place in the list.
    ...duplicates(config.roles.map(roleKey), (i) => `tenant:roles[${i}].${config.roles[i].key ? "key" : "name"}`),
    ...duplicates(
      config.api.scopes.map((s) => s.value),
      (i) => `tenant:api.scopes[${i}].value`,
    ),
    ...duplicates(config.claims.plans, (i) => `tenant:claims.plans[${i}]`),
    ...duplicates(bindingsOf(config.postLogin).map(bindingLabel), (i) => `tenant:postLogin.actions[${i}]`),
    ...checkClaims(config),
    ...checkApplications(config),
    ...checkRoles(config),
    ...checkBindings(config),
  ];
}

function duplicates(values: string[], keyOf: (index: number) => string): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) problems.push({ key: keyOf(index), message: `"${value}" is declared twice` });
    seen.add(value);
  });
  return problems;
}

function checkClaims({ claims }: TenantConfig): Problem[] {
  const problems: Problem[] = [];
  const ns = claims.namespace;
  if (!/^https:\/\/[^/?#]+\/([^?#]*\/)?$/.test(ns) || namespaceHost(ns) === null) {
    problems.push({
      key: "tenant:claims.namespace",
      message: `must be an https URL ending in "/" (for example https://myapp.com/), got "${ns}"`,
    });
  }
  const names = [...AUTHORIZATION_CLAIM_NAMES, ...claims.idTokenPreferences];
  for (const name of names) {
    const reason = claimDropReason(`${ns}${name}`);
    if (reason !== null) {
      problems.push({ key: "tenant:claims.namespace", message: `Auth0 would drop the claim: ${reason}` });
      break;
    }
  }
  claims.idTokenPreferences.forEach((pref, i) => {
    if (AUTHORIZATION_CLAIM_NAMES.includes(pref)) {
      problems.push({
        key: `tenant:claims.idTokenPreferences[${i}]`,
        message: `"${pref}" is an authorization claim; user_metadata (which users can edit) must never set it`,
      });
    }
  });
  return problems;
}

function checkApplications(config: TenantConfig): Problem[] {
  const problems: Problem[] = [];
  const apiScopes = new Set(config.api.scopes.map((s) => s.value));
  const reserved = new Set<string>(Object.values(CLIENT_METADATA_KEYS));
  config.applications.forEach((app) => {
    // Named by key, as a person finds it in the stack file (a duplicated key is reported on its own).
    const at = (field: string) => `tenant:applications[${app.key}].${field}`;
    const interactive = app.type !== "non_interactive";
    if (app.policy.minimumPlan !== undefined && !config.claims.plans.includes(app.policy.minimumPlan)) {
      problems.push({
        key: at("policy.minimumPlan"),
        message: `"${app.policy.minimumPlan}" is not a declared plan${suggestion(app.policy.minimumPlan, config.claims.plans)} (tenant:claims.plans: ${config.claims.plans.join(", ")})`,
      });
    }
    if (!interactive) {
      for (const field of ["callbacks", "logoutUrls", "webOrigins"] as const) {
        if (app[field].length > 0) {
          problems.push({ key: at(field), message: "a non_interactive (machine-to-machine) application has no browser URLs" });
        }
      }
      if (app.policy.minimumPlan !== undefined || app.policy.requireTenant) {
        problems.push({
          key: at("policy"),
          message:
            "post-login Actions never run for machine-to-machine (client-credentials) logins, so a login policy would not be enforced",
        });
      }
    } else if (app.apiScopes.length > 0) {
      problems.push({ key: at("apiScopes"), message: "client grants are for non_interactive applications only" });
    }
    app.apiScopes.forEach((scope, j) => {
      if (!apiScopes.has(scope)) {
        problems.push({
          key: at(`apiScopes[${j}]`),
          message: `"${scope}" is not a scope of tenant:api${suggestion(scope, [...apiScopes])}`,
        });
      }
    });
    for (const field of ["callbacks", "logoutUrls", "webOrigins"] as const) {
      app[field].forEach((url, j) => {
        if (!isUrl(url)) problems.push({ key: at(`${field}[${j}]`), message: `"${url}" is not a URL` });
      });
    }
    for (const name of Object.keys(app.metadata)) {
      if (reserved.has(name)) {
        problems.push({ key: at(`metadata.${name}`), message: `"${name}" is set by the program from tier and policy` });
      }
    }
    for (const message of clientMetadataProblems(clientMetadataFor(app, config.isolation && stackTag(config.isolation)))) {
      problems.push({ key: at("metadata"), message: `client metadata ${message}` });
    }
  });
  return problems;
}

function checkRoles(config: TenantConfig): Problem[] {
  const apiScopes = new Set(config.api.scopes.map((s) => s.value));
  return config.roles.flatMap((role) =>
    role.permissions
      .map((scope, j) => ({ scope, j }))
      .filter(({ scope }) => !apiScopes.has(scope))
      .map(({ scope, j }) => ({
        key: `tenant:roles[${roleKey(role)}].permissions[${j}]`,
        message: `"${scope}" is not a scope of tenant:api${suggestion(scope, [...apiScopes])}`,
      })),
  );
}

function checkBindings(config: TenantConfig): Problem[] {
  const problems: Problem[] = [];
  const bindings = bindingsOf(config.postLogin);
  const at = (i: number) => `tenant:postLogin.actions[${i}]`;
  bindings.forEach((binding, i) => {
    if (binding.kind === "managed" && !(MANAGED_ACTIONS as readonly string[]).includes(binding.action)) {
      problems.push({
        key: at(i),
        message: `"${binding.action}" is not an Action this program manages${suggestion(binding.action, MANAGED_ACTIONS)} (${MANAGED_ACTIONS.join(", ")})`,
      });
    }
    if (binding.kind === "managed" && binding.mode !== config.postLogin.mode) {
      problems.push({
        key: at(i),
        message:
          `mixes TriggerActions (owner) and TriggerAction (additive) on the post-login trigger: the owner's next update would ` +
          `remove the additive binding. Bind every Action of one trigger the same way (tenant:postLogin.mode is ${config.postLogin.mode})`,
      });
    }
    if (binding.kind === "unmanaged" && config.postLogin.mode !== "owner") {
      problems.push({
        key: at(i),
        message: "an Action this program does not manage can only be kept in a list the stack owns (mode: owner)",
      });
    }
  });
  if (config.postLogin.switchTo !== undefined && config.postLogin.switchTo === config.postLogin.mode) {
    problems.push({
      key: "tenant:postLogin.switchTo",
      message: `mode is already ${config.postLogin.mode}: step 2 of a switch sets mode and removes switchTo in one edit (docs/bindings.md)`,
    });
  }
  if (config.isolation !== undefined && config.postLogin.switchTo === "owner") {
    problems.push({
      key: "tenant:postLogin.switchTo",
      message: "an ephemeral stack shares the sandbox tenant's post-login list and always binds additively: it cannot switch to owner",
    });
  }
  if (config.isolation !== undefined && config.postLogin.mode !== "additive") {
    problems.push({
      key: "tenant:postLogin.mode",
      message:
        "an ephemeral stack shares the sandbox tenant's post-login list: it must bind with mode additive (auth0.TriggerAction), never own the list with TriggerActions",
    });
  }
  return problems;
}

/** Auth0 accepts absolute URLs, with `*` wildcards in the host and custom schemes for native apps. */
function isUrl(value: string): boolean {
  try {
    new URL(value.replace("*.", "wildcard."));
    return true;
  } catch {
    return false;
  }
}

/**
 * Values that stand for something nobody filled in: deploy-CLI keywords left unreplaced (`##NAME##` is
 * replaced literally, `@@NAME@@` by JSON; auth0/auth0-deploy-cli src/tools/utils.ts), `npm run adopt`'s
 * `<PLACEHOLDER: …>` markers, and `REPLACE-ME`-style values. Deployed, each becomes a live identifier, URL or
 * Action id that is wrong, so every key is refused while one is left. `values` maps full keys to parsed values.
 */
export function placeholderProblems(values: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === "string") {
      const found = /##[A-Za-z0-9_]+##|@@[A-Za-z0-9_]+@@|<PLACEHOLDER\b[^>]*>?|\bREPLACE[-_ ]?ME\b/i.exec(value)?.[0];
      if (found !== undefined) problems.push({ key, message: `holds the placeholder "${found}": replace it with the real value` });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, `${key}[${i}]`);
      });
    } else if (value !== null && typeof value === "object") {
      for (const [name, item] of Object.entries(value)) visit(item, `${key}.${name}`);
    }
  };
  for (const [key, value] of Object.entries(values)) visit(value, key);
  return problems;
}
