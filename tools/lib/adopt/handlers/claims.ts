// The claim namespace and plans: inferred from the tenant's own code where it shows them, else placeholders a
// person must fill in (plan refuses them).
import { isPlanName } from "../../../../actions/claim-mapping/values";
import type { TenantExport } from "../export-format";
import type { Adoption, ApplicationInput, ClaimsInput } from "../model";

/**
 * The claim namespace the tenant's code already uses: a `namespace = "https://…/"` constant, or the prefix of
 * claim names set with a literal (`api.idToken.setCustomClaim("https://myapp.com/roles", …)`, or a rule's
 * `context.idToken["https://myapp.com/roles"]`). The most used wins.
 */
export function inferNamespace(sources: { label: string; code: string }[]): { namespace: string; from: string[] } | undefined {
  const found = new Map<string, { count: number; from: Set<string> }>();
  const add = (namespace: string, label: string) => {
    const entry = found.get(namespace) ?? { count: 0, from: new Set<string>() };
    entry.count++;
    entry.from.add(label);
    found.set(namespace, entry);
  };
  for (const { label, code } of sources) {
    for (const m of code.matchAll(/namespace\w*\s*[:=]\s*(['"`])(https:\/\/[^'"`\s$]+\/)\1/gi)) add(m[2], label);
    for (const m of code.matchAll(
      /(?:setCustomClaim\s*\(\s*|(?:idToken|accessToken)\s*\[\s*)(['"`])(https:\/\/[^'"`\s$]+\/[^'"`\s/$]+)\1/g,
    )) {
      add(m[2].slice(0, m[2].lastIndexOf("/") + 1), label);
    }
  }
  const best = [...found].sort((a, b) => b[1].from.size - a[1].from.size || b[1].count - a[1].count)[0];
  return best && { namespace: best[0], from: [...best[1].from] };
}

export function adoptClaims(
  exp: TenantExport,
  existing: Partial<ClaimsInput> | undefined,
  applications: ApplicationInput[],
  adoption: Adoption,
): ClaimsInput | undefined {
  const sources = [
    ...exp.actions.filter((a) => a.code).map((a) => ({ label: `Action "${a.name}"`, code: a.code! })),
    ...exp.rules.filter((r) => r.script).map((r) => ({ label: `rule "${r.name}"`, code: r.script! })),
  ];
  const inferred = inferNamespace(sources);
  const plans = [...new Set(applications.map((a) => a.policy?.minimumPlan).filter(isPlanName))];

  if (existing?.namespace !== undefined) {
    if (inferred && inferred.namespace !== existing.namespace) {
      adoption.decisions.push({
        subject: "tenant:claims.namespace",
        detail: `kept "${existing.namespace}" from the stack file, but the tenant's code uses "${inferred.namespace}" (${inferred.from.join(", ")}): tokens change namespace on the first deploy unless you set it`,
      });
    }
    const missing = plans.filter((p) => !(existing.plans ?? []).includes(p));
    if (missing.length === 0) return undefined;
    adoption.decisions.push({
      subject: "tenant:claims.plans",
      detail: `added ${missing.join(", ")}, which applications require as minimum plan: check their rank order (lowest first)`,
    });
    return { ...(existing as ClaimsInput), plans: [...(existing.plans ?? []), ...missing] };
  }

  const claims: ClaimsInput = {
    namespace: inferred?.namespace ?? "REPLACE-ME: https://your-domain.example/",
    plans: existing?.plans ?? (plans.length > 0 ? plans : ["free"]),
    tierFeatures: existing?.tierFeatures ?? { free: [], pro: [], enterprise: [] },
    idTokenPreferences: existing?.idTokenPreferences ?? [],
  };
  adoption.decisions.push(
    inferred
      ? { subject: "tenant:claims.namespace", detail: `"${inferred.namespace}", inferred from ${inferred.from.join(", ")}` }
      : {
          subject: "tenant:claims.namespace",
          detail:
            "no claim namespace found in the tenant's Actions or rules: set one (an https URL on your own domain, ending in /); plan refuses the placeholder",
        },
  );
  if (!existing?.plans)
    adoption.decisions.push({
      subject: "tenant:claims.plans",
      detail: `set to ${claims.plans.join(", ")}: list your plans, lowest rank first`,
    });
  if (!existing?.tierFeatures)
    adoption.decisions.push({
      subject: "tenant:claims.tierFeatures",
      detail: "nothing in the tenant says what each tier enables: the lists are empty, fill them in",
    });
  return claims;
}
