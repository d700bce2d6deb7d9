// Stack config for tests: the committed dev stack, with one key changed.
import { parseConfigValue, qualifyKey, readStackConfig } from "../../harness/stack-file";
import type { RawConfig } from "../../infra/settings";

export function devConfig(): Record<string, string> {
  return { ...readStackConfig("dev").config };
}

/** The dev config with `tenant:<key>` replaced by what `change` returns (given the parsed current value). */
export function devConfigWith(key: string, change: (value: any) => unknown): RawConfig {
  const config = devConfig();
  const fullKey = qualifyKey(key);
  const current = config[fullKey] === undefined ? undefined : parseConfigValue(config[fullKey]);
  const next = change(current);
  if (next === undefined) delete config[fullKey];
  else config[fullKey] = typeof next === "string" ? next : JSON.stringify(next);
  return config;
}
