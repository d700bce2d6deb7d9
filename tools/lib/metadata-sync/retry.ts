// Transient faults: what counts as one, and how long to wait before trying again. A read (or a request
// that is safe to send twice) is re-sent by `rateLimitedFetch` (rate-limit.ts); a write is never re-sent
// blind: `applyChange` (tenant.ts) first reads the user back to see whether the lost write landed.
//
// Transient: a 5xx or 408 answer, a connection reset or refused, no answer within the attempt timeout.
// Not transient: any other 4xx (the request is wrong and would fail again), a certificate error, the
// caller's own abort (Ctrl-C, the SDK's overall timeout). 429 is the rate limiter's business.
import type { Clock } from "./rate-limit";

export interface RetryPolicy {
  /** Re-sends of one request after a transient fault before the fault is returned. */
  maxRetries: number;
  /** The first pause; it doubles per attempt up to maxDelayMs, with jitter in its upper half. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one attempt may wait for the response headers before it counts as a timeout. */
  attemptTimeoutMs: number;
  /** [0, 1): the jitter's source; tests and `npm run faults` seed it. */
  random: () => number;
  clock: Clock;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, "clock" | "random"> = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  attemptTimeoutMs: 60_000,
};

/**
 * The pause before re-send number `attempt + 1`: "equal jitter" (half fixed, half random) so that workers
 * that failed together do not come back together, yet every pause is at least half the exponential step.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "random">): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (policy.random() * step) / 2);
}

export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408;
}

/** Node and undici codes of a connection that failed or went quiet; a later attempt may well succeed. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** No response headers within the attempt timeout. Carries ETIMEDOUT so that messages and checks read it as one. */
export class AttemptTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(ms: number) {
    super(`no answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
    this.name = "AttemptTimeoutError";
  }
}

/** Whether a thrown error (or anything in its cause chain) is a transient network fault. */
export function isTransientError(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; cause && depth < 6; depth++, cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Requests that may be sent twice without changing the tenant twice: reads, the token request, and the
 * creation of a users-export job (a second job only costs a second export).
 */
export function safeToRepeat(input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): boolean {
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  if (method === "GET" || method === "HEAD") return true;
  if (method !== "POST") return false;
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const path = new URL(url).pathname;
  return path === "/oauth/token" || path === "/api/v2/jobs/users-exports";
}

/**
 * One attempt of `base` that gives up when no response headers arrive within `ms` (a real timer: the
 * attempt is real I/O), or when the caller's signal aborts. The timer stops once the headers are in, so
 * a slow body is not cut off.
 */
export async function fetchWithin(
  base: typeof fetch,
  ms: number,
  input: Parameters<typeof fetch>[0],
  init: Parameters<typeof fetch>[1],
): Promise<Response> {
  const controller = new AbortController();
  const caller = init?.signal ?? undefined;
  const onAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new AttemptTimeoutError(ms));
  }, ms);
  timer.unref?.();
  try {
    return await base(input, { ...init, signal: controller.signal });
  } catch (error) {
    if (caller?.aborted) {
      // The SDK aborts with the string "timeout" as the reason; callers expect an Error named AbortError.
      throw caller.reason instanceof Error ? caller.reason : new DOMException("This operation was aborted", "AbortError");
    }
    if (timedOut) throw new AttemptTimeoutError(ms);
    throw error;
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener("abort", onAbort);
  }
}
