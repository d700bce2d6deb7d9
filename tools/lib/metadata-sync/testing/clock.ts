// Virtual time for tests and `npm run faults`: sleeping advances the clock at once, so backoffs and
// pauses are read, not waited for. (Attempt timeouts stay real: they bound real I/O.)
import type { Clock } from "../rate-limit";

export interface VirtualClock extends Clock {
  /** Every pause asked for, in order. */
  slept: number[];
}

export function virtualClock(start = 1_700_000_000_000): VirtualClock {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted)
        throw signal.reason instanceof Error ? signal.reason : new DOMException("This operation was aborted", "AbortError");
      slept.push(ms);
      now += Math.max(0, ms);
      // Let other workers run, as a real pause would.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A seeded [0, 1) source (mulberry32), so that a run's jitter and fault choices can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
