import { RateLimiter, rateLimitedFetch, retryingDownload, type Clock, type RateLimitStats } from "./rate-limit";
import { virtualClock } from "./testing/clock";
import { AttemptTimeoutError, backoffMs, DEFAULT_RETRY, type RetryPolicy } from "./retry";

const headers = (values: Record<string, string>) => new Headers(values);

/** The default retry policy on a virtual clock, with no jitter (random 0 gives the lower half). */
const policy = (clock: Clock, overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  ...DEFAULT_RETRY,
  random: () => 0,
  clock,
  ...overrides,
});

/** What `fetch` rejects with when the connection is reset: undici's shape, the code on the cause. */
const reset = () => new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });

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
  const resetAt = (clock: Clock) => String(Math.ceil(clock.now() / 1000) + 2);

  it("sends a request answered 429 again once the limit resets, and returns the answer", async () => {
    const clock = virtualClock(1_700_000_000_000);
    const sent: number[] = [];
    const base = async () => {
      sent.push(clock.now());
      return sent.length === 1
        ? new Response("{}", { status: 429, headers: { "x-ratelimit-reset": resetAt(clock) } })
        : new Response('{"ok":true}', { status: 200 });
    };
    const fetch = rateLimitedFetch(base as typeof globalThis.fetch, new RateLimiter({ requestsPerSecond: 1e6, clock }), policy(clock));
    const response = await fetch("https://tenant.test/api/v2/users/x", { method: "PATCH", body: '{"app_metadata":{}}' });
    expect(await response.json()).toEqual({ ok: true });
    expect(sent).toEqual([1_700_000_000_000, 1_700_000_002_000]);
  });

  it("returns the 429 after maxRetries re-sends", async () => {
    const clock = virtualClock();
    let calls = 0;
    const base = async () => {
      calls++;
      return new Response("{}", { status: 429, headers: { "x-ratelimit-reset": resetAt(clock) } });
    };
    const fetch = rateLimitedFetch(
      base as typeof globalThis.fetch,
      new RateLimiter({ requestsPerSecond: 1e6, maxRetries: 3, clock }),
      policy(clock),
    );
    expect((await fetch("https://tenant.test/api/v2/roles")).status).toBe(429);
    expect(calls).toBe(4);
  });
});

describe("transient faults", () => {
  /** A server that fails each request with the next fault in `faults`, then answers 200. */
  function flaky(faults: ("reset" | "timeout" | number)[]) {
    const seen: { method: string; url: string }[] = [];
    const base = async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ method: init?.method ?? "GET", url: String(input) });
      const fault = faults.shift();
      if (fault === "reset") throw reset();
      if (fault === "timeout") throw new AttemptTimeoutError(60_000);
      if (typeof fault === "number") return new Response('{"message":"boom"}', { status: fault });
      return new Response('{"ok":true}', { status: 200 });
    };
    return { base: base as typeof globalThis.fetch, seen };
  }

  it("re-sends a read after a 5xx, a reset and a timeout, backing off exponentially", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 1e6, clock });
    const server = flaky([503, "reset", "timeout"]);
    const fetch = rateLimitedFetch(server.base, limiter, policy(clock, { baseDelayMs: 1000 }));
    const response = await fetch("https://tenant.test/api/v2/roles?page=0");
    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(4);
    expect(clock.slept).toEqual([500, 1000, 2000]);
    expect(limiter.stats).toMatchObject({ transientFaults: 3, retried: 3 });
  });

  it("gives up after maxRetries and returns the last answer", async () => {
    const clock = virtualClock();
    const server = flaky([500, 500, 500, 500]);
    const fetch = rateLimitedFetch(server.base, new RateLimiter({ requestsPerSecond: 1e6, clock }), policy(clock, { maxRetries: 2 }));
    expect((await fetch("https://tenant.test/api/v2/jobs/job_1")).status).toBe(500);
    expect(server.seen).toHaveLength(3);
  });

  it("re-sends the token request and the export job's creation, which are safe to repeat", async () => {
    const clock = virtualClock();
    for (const url of ["https://tenant.test/oauth/token", "https://tenant.test/api/v2/jobs/users-exports"]) {
      const server = flaky(["reset"]);
      const fetch = rateLimitedFetch(server.base, new RateLimiter({ requestsPerSecond: 1e6, clock }), policy(clock));
      expect((await fetch(url, { method: "POST", body: "{}" })).status).toBe(200);
      expect(server.seen).toHaveLength(2);
    }
  });

  it("never re-sends a write: its fault goes to the caller, which reads the user back first", async () => {
    const clock = virtualClock();
    for (const [method, fault] of [
      ["PATCH", 503],
      ["POST", "reset"],
      ["DELETE", "timeout"],
    ] as const) {
      const server = flaky([fault]);
      const fetch = rateLimitedFetch(server.base, new RateLimiter({ requestsPerSecond: 1e6, clock }), policy(clock));
      const request = fetch("https://tenant.test/api/v2/users/auth0%7C1/roles", { method, body: '{"roles":["r"]}' });
      if (typeof fault === "number") expect((await request).status).toBe(503);
      else await expect(request).rejects.toThrow();
      expect(server.seen).toHaveLength(1);
    }
  });

  it("does not re-send after a 4xx other than 408 and 429, nor a certificate error", async () => {
    const clock = virtualClock();
    const server = flaky([404]);
    const fetch = rateLimitedFetch(server.base, new RateLimiter({ requestsPerSecond: 1e6, clock }), policy(clock));
    expect((await fetch("https://tenant.test/api/v2/roles")).status).toBe(404);
    const tls = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("self-signed"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }) });
    };
    let calls = 0;
    const counting = (async () => {
      calls++;
      return tls();
    }) as unknown as typeof globalThis.fetch;
    await expect(rateLimitedFetch(counting, new RateLimiter({ clock }), policy(clock))("https://tenant.test/api/v2/roles")).rejects.toThrow(
      "fetch failed",
    );
    expect(calls).toBe(1);
  });

  it("times an attempt out when no headers arrive, as a transient fault", async () => {
    const clock = virtualClock();
    let calls = 0;
    const hanging = ((_: unknown, init?: RequestInit) => {
      calls++;
      if (calls > 1) return Promise.resolve(new Response("{}", { status: 200 }));
      return new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    }) as typeof globalThis.fetch;
    const limiter = new RateLimiter({ requestsPerSecond: 1e6, clock });
    const response = await rateLimitedFetch(hanging, limiter, policy(clock, { attemptTimeoutMs: 20 }))("https://tenant.test/api/v2/roles");
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
    expect(limiter.stats.transientFaults).toBe(1);
  });

  it("retries the export download when the connection resets halfway through the body", async () => {
    const clock = virtualClock();
    let calls = 0;
    const base = (async () => {
      calls++;
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"user_id":"a"}\n'));
          if (calls === 1) controller.error(reset());
          else controller.close();
        },
      });
      return new Response(body, { status: 200 });
    }) as typeof globalThis.fetch;
    const stats: RateLimitStats = { requests: 0, throttled: 0, pausedMs: 0, transientFaults: 0, retried: 0 };
    const response = await retryingDownload(base, policy(clock), stats)("https://exports.test/file.gz");
    expect(await response.text()).toBe('{"user_id":"a"}\n');
    expect(calls).toBe(2);
    expect(stats).toMatchObject({ transientFaults: 1, retried: 1 });
  });
});

describe("backoffMs", () => {
  it("doubles from the base up to the cap, the random half on top of the fixed half", () => {
    const low = { baseDelayMs: 500, maxDelayMs: 4000, random: () => 0 };
    const high = { ...low, random: () => 0.999999 };
    expect([0, 1, 2, 3, 4].map((a) => backoffMs(a, low))).toEqual([250, 500, 1000, 2000, 2000]);
    expect([0, 1, 2, 3, 4].map((a) => backoffMs(a, high))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});
