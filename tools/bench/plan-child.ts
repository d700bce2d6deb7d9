// One plan in its own process, as `npm run plan` runs one (ts-node, transpile-only): the config comes as
// JSON in BENCH_STACK_CONFIG; prints the number of resources. Launched by tools/bench/plan.ts.
import { planConfig } from "../../harness/plan";
import type { StackConfig } from "../../harness/stack-file";

const config = JSON.parse(process.env.BENCH_STACK_CONFIG ?? "null") as StackConfig | null;
if (!config) throw new Error("BENCH_STACK_CONFIG is not set");
planConfig(config).then((plan) => process.stdout.write(`${plan.resources.length}\n`));
