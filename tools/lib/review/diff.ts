// What changes between two plans of one stack: resources added, removed, and changed input by input.
import { createTwoFilesPatch } from "diff";
import type { Plan, PlannedResource } from "../../../harness/plan";
import { forcesReplacement } from "./replace";
import { sameValue } from "../same-value";
import { TYPES } from "../../../infra/resource-types";

export interface InputChange {
  input: string;
  before: unknown;
  after: unknown;
  replace: boolean;
}

export interface ResourceChange {
  resource: PlannedResource;
  inputs: InputChange[];
  /** True when any changed input forces Auth0 to replace the resource. */
  replace: boolean;
}

export interface PlanDiff {
  added: PlannedResource[];
  removed: PlannedResource[];
  changed: ResourceChange[];
  /** Unified diffs of Action source, by Action logical name. */
  actionSource: { name: string; patch: string }[];
}

const ACTION = TYPES.action;

export function diffPlans(base: Plan | null, head: Plan): PlanDiff {
  const before = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
  const after = new Map(head.resources.map((r) => [r.urn, r]));
  const diff: PlanDiff = { added: [], removed: [], changed: [], actionSource: [] };
  for (const [urn, resource] of after) {
    const old = before.get(urn);
    if (!old) {
      diff.added.push(resource);
      continue;
    }
    const inputs = changedInputs(old, resource);
    if (inputs.length > 0) diff.changed.push({ resource, inputs, replace: inputs.some((c) => c.replace) });
    if (resource.type === ACTION && old.inputs.code !== resource.inputs.code) {
      diff.actionSource.push({ name: resource.name, patch: sourcePatch(resource.name, old.inputs.code, resource.inputs.code) });
    }
  }
  for (const [urn, resource] of before) if (!after.has(urn)) diff.removed.push(resource);
  return diff;
}

/** The inputs that differ between two plans of one resource, and whether each forces a replacement. */
export function changedInputs(before: PlannedResource, after: PlannedResource): InputChange[] {
  const keys = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort();
  return keys
    .filter((key) => !sameValue(before.inputs[key], after.inputs[key]))
    .map((key) => ({ input: key, before: before.inputs[key], after: after.inputs[key], replace: forcesReplacement(after.type, key) }));
}

function sourcePatch(name: string, before: unknown, after: unknown): string {
  const patch = createTwoFilesPatch(`${name}.js (base)`, `${name}.js (this change)`, String(before ?? ""), String(after ?? ""), "", "", {
    context: 3,
  });
  return patch.split("\n").slice(2).join("\n").trimEnd();
}
