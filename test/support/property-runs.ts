// How many cases each fast-check property runs. The default run (`npm test`) runs every property with a
// smaller sample so the suite stays fast; the nightly workflow (.github/workflows/properties.yml) and anyone
// on demand run the full counts with FC_RUNS=full, or any count with FC_RUNS=<n>.

/** Cases per property in the default run: every property still runs, on this many generated inputs. */
export const DEFAULT_PROPERTY_RUNS = 200;

/** The cases a property runs: `full` is its count in the full run (FC_RUNS=full). */
export function propertyRuns(full: number, env: NodeJS.ProcessEnv = process.env): number {
  const setting = env.FC_RUNS?.trim().toLowerCase();
  if (!setting) return Math.min(full, DEFAULT_PROPERTY_RUNS);
  if (setting === "full") return full;
  const runs = Number(setting);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FC_RUNS must be "full" or a positive integer (got "${env.FC_RUNS}")`);
  return runs;
}
