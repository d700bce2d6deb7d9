// api.cache as Auth0 documents it. Each case quotes the sentence it checks from auth0/docs-v2:
// L = main/docs/customize/actions/limitations.mdx ("Cached data"),
// A = main/docs/actions/reference/post-login/post-login-api-object.mdx (api.cache.set).
import { ActionCache, CACHE_LIMITS } from "./cache";
import { loadPostLoginHandler } from "./loader";
import { runPostLogin } from "./runtime";
import { loginEvent } from "../test/support/events";

const NOW = 1_800_000_000_000;
const HOUR = 3600 * 1000;

describe("the Actions cache", () => {
  it('L: "Cache keys have a maximum size of 64 bytes": bytes, not characters', () => {
    const cache = new ActionCache();
    expect(cache.set("k".repeat(64), "v", {}, NOW)).toEqual({ type: "success" });
    expect(cache.set("k".repeat(65), "v", {}, NOW)).toEqual({ type: "error" });
    // 32 two-byte characters are 64 bytes; 33 are 66.
    expect(cache.set("é".repeat(32), "v", {}, NOW)).toEqual({ type: "success" });
    expect(cache.set("é".repeat(33), "v", {}, NOW)).toEqual({ type: "error" });
  });

  it('L: "values have a maximum size of 4kB"', () => {
    const cache = new ActionCache();
    expect(cache.set("a", "v".repeat(4096), {}, NOW)).toEqual({ type: "success" });
    expect(cache.set("b", "v".repeat(4097), {}, NOW)).toEqual({ type: "error" });
    expect(cache.set("c", "€".repeat(1366), {}, NOW)).toEqual({ type: "error" }); // 4,098 bytes
    expect(cache.get("b", NOW)).toBeUndefined();
  });

  it('L: "A maximum of 20 entries can be cached per Trigger"; an existing key can still be updated', () => {
    const cache = new ActionCache();
    for (let i = 0; i < 20; i++) expect(cache.set(`k${i}`, "v", {}, NOW).type).toBe("success");
    expect(cache.set("k20", "v", {}, NOW)).toEqual({ type: "error" });
    expect(cache.set("k7", "updated", {}, NOW)).toEqual({ type: "success" });
    expect(cache.get("k7", NOW)?.value).toBe("updated");
    cache.delete("k0");
    expect(cache.set("k20", "v", {}, NOW)).toEqual({ type: "success" });
  });

  it('L: "The cumulative size of cached keys and their values must not exceed 8kB"', () => {
    const cache = new ActionCache();
    expect(cache.set("a", "v".repeat(4095), {}, NOW).type).toBe("success"); // 4,096 bytes
    expect(cache.set("b", "v".repeat(4095), {}, NOW).type).toBe("success"); // 8,192 bytes in all
    expect(cache.bytes(NOW)).toBe(CACHE_LIMITS.maxTotalBytes);
    expect(cache.set("c", "", {}, NOW)).toEqual({ type: "error" });
    expect(cache.set("b", "v".repeat(4096), {}, NOW)).toEqual({ type: "error" });
    expect(cache.set("b", "short", {}, NOW)).toEqual({ type: "success" });
    expect(cache.set("c", "v".repeat(100), {}, NOW)).toEqual({ type: "success" });
  });

  it('L: "Cached items persist for a maximum of 24 hours"; A: a default lifetime of 15 minutes', () => {
    const cache = new ActionCache();
    cache.set("long", "v", { ttl: 48 * HOUR }, NOW);
    cache.set("far", "v", { expires_at: NOW + 30 * 24 * HOUR }, NOW);
    cache.set("default", "v", {}, NOW);
    expect(cache.get("long", NOW)?.expires_at).toBe(NOW + 24 * HOUR);
    expect(cache.get("far", NOW)?.expires_at).toBe(NOW + 24 * HOUR);
    expect(cache.get("default", NOW)?.expires_at).toBe(NOW + 15 * 60 * 1000);
    expect(cache.get("default", NOW + 15 * 60 * 1000)).toBeUndefined();
    expect(cache.get("long", NOW + 24 * HOUR)).toBeUndefined();
  });

  it('A: "If both options are supplied, the earlier expiry of the two will be used"', () => {
    const cache = new ActionCache();
    cache.set("ttl-first", "v", { ttl: HOUR, expires_at: NOW + 2 * HOUR }, NOW);
    cache.set("at-first", "v", { ttl: 2 * HOUR, expires_at: NOW + HOUR }, NOW);
    expect(cache.get("ttl-first", NOW)?.expires_at).toBe(NOW + HOUR);
    expect(cache.get("at-first", NOW)?.expires_at).toBe(NOW + HOUR);
  });

  it("expired entries count against no limit", () => {
    const cache = new ActionCache();
    for (let i = 0; i < 20; i++) cache.set(`k${i}`, "v", { ttl: 1000 }, NOW);
    expect(cache.set("new", "v", {}, NOW + 1000)).toEqual({ type: "success" });
  });

  it('L: reliable within one execution, "not guaranteed" for subsequent executions', async () => {
    const cache = new ActionCache();
    const action = loadPostLoginHandler(
      `module.exports = { onExecutePostLogin: async (event, api) => {
        const before = api.cache.get("k");
        api.cache.set("k", "v");
        api.user.setAppMetadata("before", before ? before.value : null).user.setAppMetadata("after", api.cache.get("k").value);
      } };`,
    );
    const first = await runPostLogin(action, loginEvent(), { cache, now: () => NOW });
    expect(first.appMetadata).toEqual({ before: null, after: "v" });
    const second = await runPostLogin(action, loginEvent(), { cache, now: () => NOW });
    expect(second.appMetadata).toEqual({ before: "v", after: "v" });
    cache.evict();
    const third = await runPostLogin(action, loginEvent(), { cache, now: () => NOW });
    expect(third.appMetadata).toEqual({ before: null, after: "v" });
  });
});
