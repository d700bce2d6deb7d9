// The tenant itself: an export of one tenant must not be adopted into a stack that deploys to another.
import { stackFileName } from "../../../../harness/stack-file";
import { normaliseDomain } from "../../../../infra/settings/isolation";
import { AdoptError } from "../export-format";
import type { Adoption, AdoptOptions, Existing } from "../model";
import type { TenantExport } from "../export-format";

/** The tenant's domain; sets auth0:domain in a stack file that has none. */
export function adoptTenantDomain(exp: TenantExport, options: AdoptOptions, existing: Existing, adoption: Adoption): string | undefined {
  const domain = exp.tenant ?? options.domain;
  if (domain && existing.domain && normaliseDomain(domain) !== normaliseDomain(existing.domain)) {
    throw new AdoptError(
      `the export is of ${domain}, but ${stackFileName(options.stack)} deploys to ${existing.domain} (auth0:domain): adopt each tenant into its own stack`,
    );
  }
  if (domain && !existing.domain) adoption.values["auth0:domain"] = normaliseDomain(domain);
  if (!domain && !existing.domain) {
    adoption.decisions.push({
      subject: "auth0:domain",
      detail: "the export does not name its tenant: pass --domain <tenant domain> or set auth0:domain in the stack file",
    });
  }
  return domain;
}
