// Preloaded into a launched command (NODE_OPTIONS=--require): the network fails as a lost connection does.
// The Management API's token endpoint answers, so the auth0 SDK gets as far as its first API request; every
// other request rejects, the way fetch rejects for a reset or refused connection. That is the case in which
// the SDK leaves its request timer running (auth0 dist/cjs/management/core/fetcher/makeRequest.js clears it
// only after a response), which kept a command alive for the SDK's 60 s timeout after it had failed.
globalThis.fetch = async (input) => {
  const url = String(input instanceof Request ? input.url : input);
  if (url.endsWith("/oauth/token")) {
    const token = { access_token: "test-token", expires_in: 86400, token_type: "Bearer" };
    return new Response(JSON.stringify(token), { status: 200, headers: { "content-type": "application/json" } });
  }
  throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
};
