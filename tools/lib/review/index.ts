// The review of a change: each committed stack (or one) planned at the merge-base and at the working tree,
// compared resource by resource and login by login. Offline, no secrets: it runs on forks' pull requests.
import { planStack } from "../../../harness/plan";
import { committedStacks } from "../../../harness/stack-file";
import { mergeBase, planInTree, withRevision } from "./base";
import { diffPlans } from "./diff";
import type { Review } from "./report";
import { updateRisks } from "./risks";
import { reviewUsers, tokenEffect } from "./tokens";

export async function review(base: string, stack?: string): Promise<Review> {
  const revision = mergeBase(base);
  const stacks = stack ? [stack] : committedStacks();
  const basePlans = await withRevision(revision, async (dir) => stacks.map((s) => planInTree(dir, s)));
  const users = reviewUsers();
  const reviews = [];
  for (const [i, name] of stacks.entries()) {
    const head = await planStack(name);
    reviews.push({
      stack: name,
      diff: diffPlans(basePlans[i], head),
      risks: updateRisks(basePlans[i], head),
      tokens: await tokenEffect(basePlans[i], head, users),
    });
  }
  return { base: revision, stacks: reviews };
}
