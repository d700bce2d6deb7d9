import { RateLimiter, rateLimitedFetch, type Clock } from "./rate-limit";

/** Virtual time: sleeping advances the clock at once, so the tests read times, not wait for them. */
function virtualClock(start = 1_700_000_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const headers = (values: Record<string, string>) => new Headers(values);

describe("RateLimiter", () => {
  it("paces request starts at the configured rate", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ concurrency: 4, requestsPerSecond: 2, clock });
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const release = await limiter.acquire();
      starts.push(clock.now());
      release();
    }
    expect(starts.map((t) => t - starts[0])).toEqual([0, 500, 1000]);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const limiter = new RateLimiter({ concurrency: 2, requestsPerSecond: 1e6, clock: virtualClock() });
    const first = await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const pending = limiter.acquire().then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    first();
    await pending;
    expect(third).toBe(true);
  });

  it("after a 429, holds every request until X-RateLimit-Reset (Unix seconds)", async () => {
    const clock = virtualClock(1_700_000_000_250);
    const limiter = new RateLimiter({ concurrency: 2, requestsPerSecond: 1e6, clock });
    limiter.observe(429, headers({ "x-ratelimit-limit": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000003" }), 0);
    (await limiter.acquire())();
    expect(clock.now()).toBe(1_700_000_003_000);
    expect(limiter.stats).toMatchObject({ throttled: 1, pausedMs: 2750 });
  });

  it("pauses before a 429 when X-RateLimit-Remaining reaches 0", async () => {
    const clock = virtualClock(1_700_000_000_600);
    const limiter = new RateLimiter({ requestsPerSecond: 1e6, clock });
    limiter.observe(200, headers({ "x-ratelimit-remaining": "1", "x-ratelimit-reset": "1700000001" }), 0);
    (await limiter.acquire())();
    expect(clock.now()).toBe(1_700_000_000_600);
    limiter.observe(200, headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000001" }), 0);
    (await limiter.acquire())();
    expect(clock.now()).toBe(1_700_000_001_000);
  });

  it("backs off exponentially from 1 s when a 429 has no usable reset, within maxPauseMs", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 1e6, maxPauseMs: 5000, clock });
    const pauses: number[] = [];
    for (const attempt of [0, 1, 2, 3]) {
      const before = clock.now();
      limiter.observe(429, headers({ "x-ratelimit-reset": String(Math.floor(before / 1000) - 5) }), attempt);
      (await limiter.acquire())();
      pauses.push(clock.now() - before);
    }
    expect(pauses).toEqual([1000, 2000, 4000, 5000]);
  });
});

describe("rateLimitedFetch", () => {
  const reset = (clock: Clock) => String(Math.ceil(clock.now() / 1000) + 2);

  it("sends a request answered 429 again once the limit resets, and returns the answer", async () => {
    const clock = virtualClock(1_700_000_000_000);
    const sent: number[] = [];
    const base = async () => {
      sent.push(clock.now());
      return sent.length === 1
        ? new Response("{}", { status: 429, headers: { "x-ratelimit-reset": reset(clock) } })
        : new Response('{"ok":true}', { status: 200 });
    };
    const fetch = rateLimitedFetch(base as typeof globalThis.fetch, new RateLimiter({ requestsPerSecond: 1e6, clock }));
    const response = await fetch("https://tenant.test/api/v2/users/x", { method: "PATCH", body: '{"app_metadata":{}}' });
    expect(await response.json()).toEqual({ ok: true });
    expect(sent).toEqual([1_700_000_000_000, 1_700_000_002_000]);
  });

  it("returns the 429 after maxRetries re-sends", async () => {
    const clock = virtualClock();
    let calls = 0;
    const base = async () => {
      calls++;
      return new Response("{}", { status: 429, headers: { "x-ratelimit-reset": reset(clock) } });
    };
    const fetch = rateLimitedFetch(base as typeof globalThis.fetch, new RateLimiter({ requestsPerSecond: 1e6, maxRetries: 3, clock }));
    expect((await fetch("https://tenant.test/api/v2/roles")).status).toBe(429);
    expect(calls).toBe(4);
  });
});
