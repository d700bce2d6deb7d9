// Rules and connections: the program models neither; each is listed, and stays as it is in Auth0.
import type { TenantExport } from "../export-format";
import type { Adoption } from "../model";

export function listRulesAndConnections(exp: TenantExport, adoption: Adoption): void {
  const { leftOut } = adoption;
  for (const rule of exp.rules) {
    leftOut.push({
      subject: `rule "${rule.name}"`,
      detail: `Rules are Auth0's legacy extension (replaced by Actions) and the program does not model them; it stays as it is${rule.enabled === false ? " (disabled)" : ", and keeps running on every login"}`,
    });
  }
  for (const connection of exp.connections) {
    leftOut.push({
      subject: `connection "${connection.name}"`,
      detail: `${connection.strategy ?? "connection"}: connections are not managed by this program; it stays as it is`,
    });
  }
}
