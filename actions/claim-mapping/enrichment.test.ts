// Login enrichment, run in the bundled Action against a real HTTP server on loopback that answers well,
// slowly, with errors and with garbage.
import fc from "fast-check";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { bundleClaimMapping } from "../../infra/bundle";
import { loadPostLoginHandler } from "../../emulator/loader";
import { runPostLogin } from "../../emulator/runtime";
import { eventClientFor } from "../../harness/login";
import { readStackSettings } from "../../harness/stack-file";
import { buildEvent } from "../../emulator/event";
import { ActionCache } from "../../emulator/cache";
import { cacheKey, ENRICHMENT_DENY_REASON, MAX_BODY_BYTES, parseAnswer, readBounded } from "./enrichment";
import type { ClaimMappingSettings } from "./settings";
import type { PostLoginHandler } from "../types";

const NS = "https://myapp.com/";
/** Generous: the machine is shared, and a lookup that misses it fails the test for the wrong reason. */
const TIMEOUT_MS = 1000;
/** For the slow answer only: its logins wait out the whole timeout, in real time. */
const SHORT_TIMEOUT_MS = 250;
/** Far beyond the timeout, so a login that finishes earlier cannot have waited for it. */
const SLOW_ANSWER_MS = 10_000;
const settings = readStackSettings("dev");
const requests: { path: string; authorization?: string }[] = [];
/** What the Action logs (Auth0 shows it in the tenant's Action logs). */
const logged: string[] = [];
const actionConsole = { ...console, log: (...args: unknown[]) => void logged.push(args.join(" ")) } as Console;

/** The system of record: what it answers for each user id. */
const answers: Record<string, (res: import("node:http").ServerResponse) => void> = {
  "auth0|good": (res) => json(res, 200, { tenant_id: "t-9", plan: "premium" }),
  "auth0|numeric": (res) => json(res, 200, { tenant_id: 77, plan: "enterprise" }),
  "auth0|plan-only": (res) => json(res, 200, { plan: "free" }),
  "auth0|slow": (res) => void setTimeout(() => json(res, 200, { tenant_id: "t-late", plan: "premium" }), SLOW_ANSWER_MS).unref(),
  "auth0|undeclared-plan": (res) => json(res, 200, { tenant_id: "t-5", plan: "gold" }),
  "auth0|error": (res) => json(res, 503, { error: "unavailable" }),
  "auth0|garbage": (res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>oops</html>"),
  "auth0|wrong-shape": (res) => json(res, 200, { tenant_id: { id: 1 }, plan: "premium" }),
  "auth0|unknown": (res) => json(res, 404, { error: "not found" }),
  "auth0|long-tenant": (res) => json(res, 200, { tenant_id: "t".repeat(255), plan: "enterprise" }),
  [`auth0|${"u".repeat(3000)}`]: (res) => json(res, 200, { tenant_id: "t-long-id", plan: "free" }),
  // 2,100 characters but 4,200 bytes of UTF-8: over the limit, which counts bytes.
  "auth0|multibyte": (res) => json(res, 200, { tenant_id: "t", plan: "free", note: "é".repeat(2100) }),
  "auth0|multibyte-ok": (res) => json(res, 200, { tenant_id: "t-é", plan: "free", note: "é".repeat(1900) }),
  // A body without end, chunked, written as fast as the client reads it.
  "auth0|endless": (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.on("close", () => endless.closed++);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) endless.written += chunk.length;
      if (!res.destroyed) res.once("drain", pump);
    };
    res.write("{");
    pump();
  },
  "auth0|declared-huge": (res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(400 * 1024 * 1024) });
    res.write("{");
    res.on("close", () => endless.closed++);
  },
};
/** What the endless answer wrote before the client hung up, and how many such answers were closed. */
const endless = { written: 0, closed: 0 };

function json(res: import("node:http").ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

let server: Server;
/** The bundled Action for each failure mode and timeout, keyed `${onFailure}/${timeoutMs}`. */
const handlers = new Map<string, PostLoginHandler>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const id = decodeURIComponent((req.url ?? "").replace(/^\/users\//, ""));
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    (answers[id] ?? ((r) => json(r, 404, {})))(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/users/`;
  for (const onFailure of ["proceed", "deny"] as const) {
    for (const timeoutMs of [TIMEOUT_MS, SHORT_TIMEOUT_MS]) {
      const claimMapping: ClaimMappingSettings = {
        ...settings.claimMapping,
        enrichment: { url, timeoutMs, onFailure, cacheTtlMs: 60_000 },
      };
      const code = (await bundleClaimMapping(claimMapping)).code;
      handlers.set(`${onFailure}/${timeoutMs}`, loadPostLoginHandler(code, "claim-mapping.js", actionConsole));
    }
  }
  // The first fetch of a process sets up its HTTP client; do it here, outside every lookup's timeout.
  await (await fetch(`${url}warm-up`)).text();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
  logged.length = 0;
});

function login(
  userId: string,
  options: {
    onFailure?: "proceed" | "deny";
    timeoutMs?: number;
    appMetadata?: object;
    cache?: Map<string, { value: string; expires_at: number }> | ActionCache;
    clientKey?: string;
    secret?: string | null;
    exchange?: "login" | "refresh";
  } = {},
) {
  const event = buildEvent({
    exchange: options.exchange,
    user: { user_id: userId, app_metadata: options.appMetadata ?? {} },
    client: eventClientFor(settings, options.clientKey ?? "marketing-site"),
    secrets: options.secret === null ? {} : { SOR_API_KEY: options.secret ?? "sor-test-key" },
  });
  const handler = handlers.get(`${options.onFailure ?? "proceed"}/${options.timeoutMs ?? TIMEOUT_MS}`);
  if (!handler) throw new Error(`no Action built for ${options.onFailure}/${options.timeoutMs}`);
  return runPostLogin(handler, event, { cache: options.cache });
}

describe("enrichment from the system of record", () => {
  it("fills a missing tenant and plan, persists them and sends the API key", async () => {
    const result = await login("auth0|good");
    expect(result.accessToken).toMatchObject({ [`${NS}tenant`]: "t-9", [`${NS}plan`]: "premium" });
    expect(result.appMetadata).toEqual({ tenant_id: "t-9", plan: "premium" });
    expect(requests).toEqual([{ path: "/users/auth0%7Cgood", authorization: "Bearer sor-test-key" }]);
  });
  it("answers the next login from api.cache, with no request", async () => {
    const cache = new Map();
    await login("auth0|good", { cache });
    const second = await login("auth0|good", { cache });
    expect(requests).toHaveLength(1);
    expect(second.accessToken[`${NS}tenant`]).toBe("t-9");
    expect([...cache.keys()]).toEqual([cacheKey("auth0|good")]);
  });
  it("makes no request when app_metadata already has both", async () => {
    const result = await login("auth0|good", { appMetadata: { tenant_id: "t-1", plan: "free" } });
    expect(requests).toEqual([]);
    expect(result.appMetadata).toEqual({});
  });
  it("writes only what is missing", async () => {
    const result = await login("auth0|numeric", { appMetadata: { tenant_id: "t-own" } });
    expect(result.appMetadata).toEqual({ plan: "enterprise" });
    expect(result.accessToken[`${NS}tenant`]).toBe("t-own");
  });
  it("turns a numeric tenant into its decimal string", async () => {
    expect((await login("auth0|numeric")).appMetadata).toEqual({ tenant_id: "77", plan: "enterprise" });
  });

  describe.each([
    ["a slow answer", "auth0|slow", SHORT_TIMEOUT_MS],
    ["a 5xx", "auth0|error", TIMEOUT_MS],
    ["garbage", "auth0|garbage", TIMEOUT_MS],
    ["a malformed body", "auth0|wrong-shape", TIMEOUT_MS],
  ])("on %s", (_what, userId, timeoutMs) => {
    it("proceeds without the claims, writes nothing and caches nothing", async () => {
      const cache = new Map();
      const started = Date.now();
      const result = await login(userId, { cache, timeoutMs });
      expect(Date.now() - started).toBeLessThan(SLOW_ANSWER_MS / 2);
      expect(result).toMatchObject({ denied: null, failed: null, appMetadata: {} });
      expect(result.accessToken[`${NS}tenant`]).toBeUndefined();
      expect(result.accessToken[`${NS}tier`]).toBe("free");
      expect(cache.size).toBe(0);
      expect(logged).toEqual([expect.stringMatching(/^claim-mapping: lookup failed: /)]);
    });
    it("denies with a reason to retry when config says so", async () => {
      const result = await login(userId, { onFailure: "deny", timeoutMs });
      expect(result).toMatchObject({ denied: ENRICHMENT_DENY_REASON, failed: null, idToken: {} });
    });
  });

  it("gives up on a slow system of record at the configured timeout, not at the late answer", async () => {
    const started = Date.now();
    const result = await login("auth0|slow", { timeoutMs: SHORT_TIMEOUT_MS });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(SLOW_ANSWER_MS / 2);
    expect(logged).toEqual([`claim-mapping: lookup failed: no answer within ${SHORT_TIMEOUT_MS} ms`]);
    expect(result.accessToken[`${NS}tenant`]).toBeUndefined();
  });
  it("treats an unknown user (404) as nothing to add, not as a failure, and remembers it", async () => {
    const cache = new Map();
    const result = await login("auth0|unknown", { onFailure: "deny", cache });
    expect(result).toMatchObject({ denied: null, appMetadata: {} });
    await login("auth0|unknown", { onFailure: "deny", cache });
    expect(requests).toHaveLength(1);
  });
  it("never writes a plan the stack does not declare", async () => {
    const result = await login("auth0|undeclared-plan");
    expect(result.appMetadata).toEqual({ tenant_id: "t-5" });
    expect(result.accessToken[`${NS}plan`]).toBeUndefined();
  });
  it("counts a missing API key as a failure, without calling", async () => {
    const result = await login("auth0|good", { onFailure: "deny", secret: null });
    expect(requests).toEqual([]);
    expect(result.denied).toBe(ENRICHMENT_DENY_REASON);
  });
});

describe("under Auth0's cache limits", () => {
  const users = [
    "auth0|good",
    "auth0|numeric",
    "auth0|plan-only",
    "auth0|unknown",
    "auth0|error",
    "auth0|long-tenant",
    `auth0|${"u".repeat(3000)}`,
  ];
  // Applications with every policy: a decision that depends on the cache would show here first.
  const apps = settings.applications.filter((a) => a.type !== "non_interactive").map((a) => a.key);
  const step = fc.record({
    user: fc.constantFrom(...users),
    app: fc.constantFrom(...apps),
    onFailure: fc.constantFrom("proceed" as const, "deny" as const),
    // Between executions Auth0 may drop any entry (limitations.mdx): each entry goes with this chance.
    evict: fc.constantFrom(0, 0.3, 1),
    // Other Actions of the trigger fill the 20 entries and 8 kB the cache is shared with.
    filler: fc.nat({ max: 25 }),
  });

  it("never lets a hit, a miss, an eviction or a full cache change a decision or a claim", async () => {
    let hits = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), fc.integer(), async (steps, seed) => {
        const cache = new ActionCache();
        let random = seed;
        const next = () => (random = (random * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
        for (const { user, app, onFailure, evict, filler } of steps) {
          cache.evict(() => next() < evict);
          for (let i = 0; i < filler; i++) cache.set(`other-action:${i}`, "x".repeat(400), {}, Date.now());
          const [requestsBefore, entriesBefore] = [requests.length, cache.entries.size];
          const warm = await login(user, { cache, onFailure, clientKey: app });
          if (requests.length === requestsBefore && !["auth0|error"].includes(user)) hits++;
          if (requests.length > requestsBefore && cache.entries.size === entriesBefore && user !== "auth0|error") refused++;
          const cold = await login(user, { cache: new ActionCache(), onFailure, clientKey: app });
          expect(warm).toEqual(cold);
        }
      }),
      { numRuns: 40 },
    );
    // Not vacuous: the runs above answered from the cache and had writes refused by a full cache.
    expect(hits).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it("keys its entries by Action, so other Actions' keys in the shared trigger cache never collide", () => {
    expect(cacheKey("auth0|a")).toMatch(/^claim-mapping:sor:/);
  });
});

describe("a refresh token exchange", () => {
  it("makes no request and decides from the stored profile, as the login left it", async () => {
    const login1 = await login("auth0|good");
    const refresh = await login("auth0|good", { exchange: "refresh", appMetadata: login1.appMetadata });
    expect(requests).toHaveLength(1);
    expect(refresh).toMatchObject({ denied: null, failed: null, appMetadata: {} });
    expect(refresh.accessToken).toMatchObject({ [`${NS}tenant`]: "t-9", [`${NS}plan`]: "premium" });
  });
  it("reads no cache, so an evicted entry cannot change it", async () => {
    const cache = new Map();
    await login("auth0|good", { cache });
    const [warm, cold] = [
      await login("auth0|good", { exchange: "refresh", cache }),
      await login("auth0|good", { exchange: "refresh", cache: new Map() }),
    ];
    expect(warm).toEqual(cold);
    expect(warm.accessToken[`${NS}tenant`]).toBeUndefined();
    expect(requests).toHaveLength(1);
  });
  it("is not denied by an outage when the config denies failed lookups", async () => {
    const result = await login("auth0|error", { exchange: "refresh", onFailure: "deny", appMetadata: { tenant_id: "t-1" } });
    expect(requests).toEqual([]);
    expect(result).toMatchObject({ denied: null, failed: null });
    expect(result.accessToken[`${NS}tenant`]).toBe("t-1");
  });
});

describe("an oversized answer", () => {
  it.each([
    ["an endless body", "auth0|endless"],
    ["a declared 400 MB body", "auth0|declared-huge"],
    ["4,200 bytes in 2,100 characters", "auth0|multibyte"],
  ])("(%s) is a failed lookup: reading stops at the byte limit", async (_what, userId) => {
    const [closedBefore, started] = [endless.closed, Date.now()];
    endless.written = 0;
    const result = await login(userId, { onFailure: "deny" });
    expect(result.denied).toBe(ENRICHMENT_DENY_REASON);
    expect(logged).toEqual([`claim-mapping: lookup failed: answer over ${MAX_BODY_BYTES} bytes`]);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 10);
    if (userId !== "auth0|multibyte") {
      // The client hung up: the server sees the connection close without being read to the end.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(endless.closed).toBe(closedBefore + 1);
    }
  });
  it("counts bytes: 1,900 two-byte characters (3,800 bytes) are read", async () => {
    const result = await login("auth0|multibyte-ok");
    expect(result.accessToken[`${NS}tenant`]).toBe("t-é");
  });
});

describe("readBounded", () => {
  /** A body that would never end: counts what was pulled and whether it was cancelled. */
  function endlessBody(chunkBytes: number) {
    const seen = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        seen.pulled += chunkBytes;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    return { response: new Response(stream), seen };
  }

  it("stops an endless body at the limit and cancels the rest; memory is bounded by the bytes read", async () => {
    const { response, seen } = endlessBody(1024);
    expect(await readBounded(response, 4096)).toBeUndefined();
    expect(seen.cancelled).toBe(true);
    // The limit, the chunk that crossed it, and what the stream queued ahead (its high-water mark).
    expect(seen.pulled).toBeLessThanOrEqual(4096 + 2 * 1024);
  });
  it("refuses a declared length over the limit without reading", async () => {
    const { response, seen } = endlessBody(1024);
    const declared = new Response(response.body, { headers: { "content-length": String(400 * 1024 * 1024) } });
    expect(await readBounded(declared, 4096)).toBeUndefined();
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(1024);
  });
  it("returns a body up to the limit as UTF-8 text, split characters included", async () => {
    const text = `{"tenant_id":"${"€".repeat(1300)}"}`; // 3,900 + 17 bytes
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    expect(await readBounded(new Response(stream), 4096)).toBe(text);
    expect(await readBounded(new Response(text), bytes.length - 1)).toBeUndefined();
    expect(await readBounded(new Response(null), 10)).toBe("");
  });
});

describe("parseAnswer", () => {
  it("accepts { tenant_id, plan } and rejects anything else", () => {
    expect(parseAnswer('{"tenant_id":"t","plan":"free"}')).toEqual({ tenant_id: "t", plan: "free" });
    expect(parseAnswer("{}")).toEqual({});
    for (const text of ["[]", "null", "not json", '{"plan":7}', '{"tenant_id":""}']) expect(parseAnswer(text)).toBeUndefined();
  });
});

describe("cacheKey", () => {
  it("is the user id under the Action's name, within Auth0's 64-byte key limit, or none for a longer id", () => {
    expect(cacheKey("auth0|a")).toBe("claim-mapping:sor:auth0|a");
    expect(cacheKey("auth0|a")).not.toBe(cacheKey("auth0|b"));
    expect(Buffer.byteLength(cacheKey(`auth0|${"x".repeat(40)}`) ?? "")).toBe(64);
    expect(cacheKey(`auth0|${"x".repeat(41)}`)).toBeUndefined();
    expect(cacheKey(`auth0|${"é".repeat(21)}`)).toBeUndefined(); // 42 bytes of UTF-8 in 21 characters
  });
});
