// Auth0's Management API rate limits, honoured in one place: every request the SDK makes (token, pages,
// job polls, writes) goes through `rateLimitedFetch`, which is the SDK's documented `fetch` option.
//
// One owner of retries: this layer. The SDK is built with `maxRetries: 0`; left at its default (2) it
// would retry each 429 on its own, per request, on top of ours. Here a 429 pauses every request of the
// run until Auth0's `X-RateLimit-Reset`, and `X-RateLimit-Remaining: 0` pauses before a 429 happens.
// https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy
// Transient faults (5xx, resets, timeouts) of requests that are safe to repeat are re-sent here too, with
// backoff (retry.ts); writes are verified and repeated one level up (tenant.ts, applyChange).
import { backoffMs, fetchWithin, isTransientError, isTransientStatus, type RetryPolicy, safeToRepeat } from "./retry";

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export interface RateLimitOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Client-side pacing between request starts; the free plan allows 2 per second. */
  requestsPerSecond: number;
  /** Times one request is re-sent after a 429 before its 429 is returned to the caller. */
  maxRetries: number;
  /** The longest single pause, whatever the headers say. */
  maxPauseMs: number;
  clock: Clock;
}

export const DEFAULT_RATE_LIMIT: Omit<RateLimitOptions, "clock"> = {
  concurrency: 2,
  requestsPerSecond: 2,
  maxRetries: 8,
  maxPauseMs: 60_000,
};

export interface RateLimitStats {
  requests: number;
  /** 429 responses received. */
  throttled: number;
  /** Pauses ordered by the server's headers, in total (pacing not included). */
  pausedMs: number;
  /** Transient faults seen (5xx, 408, resets, timeouts), on any request. */
  transientFaults: number;
  /** Requests re-sent after a transient fault. */
  retried: number;
}

export class RateLimiter {
  readonly stats: RateLimitStats = { requests: 0, throttled: 0, pausedMs: 0, transientFaults: 0, retried: 0 };
  private readonly options: RateLimitOptions;
  private inFlight = 0;
  private nextStart = 0;
  private pausedUntil = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: Partial<RateLimitOptions> = {}) {
    this.options = { ...DEFAULT_RATE_LIMIT, clock: systemClock, ...options };
    if (!(this.options.concurrency >= 1)) throw new RangeError("concurrency must be at least 1");
    if (!(this.options.requestsPerSecond > 0)) throw new RangeError("requestsPerSecond must be positive");
  }

  /** Waits for a free slot, the pacing interval and any pause the server asked for; returns the release. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const { clock } = this.options;
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      if (this.inFlight >= this.options.concurrency) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      const now = clock.now();
      const until = Math.max(this.nextStart, this.pausedUntil);
      if (until > now) {
        await clock.sleep(until - now, signal);
        continue;
      }
      this.inFlight++;
      this.stats.requests++;
      this.nextStart = now + 1000 / this.options.requestsPerSecond;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.waiting.shift()?.();
      };
    }
  }

  /** Reads Auth0's rate-limit headers from a response; after a 429, every request waits for the reset. */
  observe(status: number, headers: Headers, attempt: number): void {
    const now = this.options.clock.now();
    const reset = resetTime(headers);
    if (status === 429) {
      this.stats.throttled++;
      // Without a usable reset (absent, or in the past by our clock), back off exponentially from 1 s.
      const until = reset !== undefined && reset > now ? reset : now + Math.min(1000 * 2 ** attempt, this.options.maxPauseMs);
      this.pauseUntil(Math.min(until, now + this.options.maxPauseMs));
      return;
    }
    const remaining = Number.parseInt(headers.get("x-ratelimit-remaining") ?? "", 10);
    if (remaining === 0 && reset !== undefined && reset > now) this.pauseUntil(Math.min(reset, now + this.options.maxPauseMs));
  }

  get maxRetries(): number {
    return this.options.maxRetries;
  }

  private pauseUntil(time: number): void {
    const now = this.options.clock.now();
    if (time <= Math.max(this.pausedUntil, now)) return;
    this.stats.pausedMs += time - Math.max(this.pausedUntil, now);
    this.pausedUntil = time;
  }
}

/** `X-RateLimit-Reset`: the Unix time, in seconds, at which the limit resets; as epoch milliseconds. */
export function resetTime(headers: Headers): number | undefined {
  const value = Number.parseInt(headers.get("x-ratelimit-reset") ?? "", 10);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

/**
 * A `fetch` that waits for the limiter, re-sends a request answered 429 once the limit has reset, and
 * re-sends a request that is safe to repeat after a transient fault, with backoff.
 */
export function rateLimitedFetch(base: typeof fetch, limiter: RateLimiter, retry: RetryPolicy): typeof fetch {
  return resilientFetch(base, retry, limiter.stats, limiter);
}

/**
 * The export file's download: not the Management API, so not paced by its limiter, but retried the same
 * way. The body is read inside the retry, so a connection reset halfway through the file is retried too.
 */
export function retryingDownload(base: typeof fetch, retry: RetryPolicy, stats: RateLimitStats): typeof fetch {
  return resilientFetch(base, retry, stats, undefined, true);
}

function resilientFetch(
  base: typeof fetch,
  retry: RetryPolicy,
  stats: RateLimitStats,
  limiter: RateLimiter | undefined,
  readBody = false,
): typeof fetch {
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    const canReplay = replayable(input, init);
    const repeatable = canReplay && safeToRepeat(input, init);
    let throttledAttempts = 0;
    for (let faults = 0; ; ) {
      const release = limiter ? await limiter.acquire(signal) : () => {};
      let response: Response;
      try {
        response = await fetchWithin(base, retry.attemptTimeoutMs, input, init);
        if (readBody && response.ok) {
          const body = await response.arrayBuffer();
          response = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
        }
      } catch (error) {
        if (signal?.aborted || !isTransientError(error)) throw error;
        stats.transientFaults++;
        if (!repeatable || faults >= retry.maxRetries) throw error;
        await retry.clock.sleep(backoffMs(faults++, retry), signal);
        stats.retried++;
        continue;
      } finally {
        release();
      }
      limiter?.observe(response.status, response.headers, throttledAttempts);
      if (response.status === 429 && limiter && throttledAttempts < limiter.maxRetries && canReplay) {
        throttledAttempts++;
        await response.body?.cancel();
        continue;
      }
      if (isTransientStatus(response.status)) {
        stats.transientFaults++;
        if (repeatable && faults < retry.maxRetries) {
          await response.body?.cancel();
          await retry.clock.sleep(backoffMs(faults++, retry), signal);
          stats.retried++;
          continue;
        }
      }
      return response;
    }
  };
}

/** A request can be sent again only if nothing in it was consumed: the SDK sends string bodies. */
function replayable(input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): boolean {
  if (typeof input !== "string" && !(input instanceof URL)) return false;
  const body = init?.body;
  return body === undefined || body === null || typeof body === "string" || body instanceof URLSearchParams;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("The operation was aborted", "AbortError");
}
