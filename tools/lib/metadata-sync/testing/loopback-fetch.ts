// A `fetch` for tests that connects to the fake tenant on 127.0.0.1 for a fixed set of host names, like
// `curl --resolve`: the URL, the Host header and TLS server name stay the tenant's, and the server's
// certificate must chain to the test CA (no other root is trusted, nothing is left unverified). It is
// handed to the SDK through its documented `fetch` option; the SDK itself is not patched.
// Any other host is refused, so a test can never reach a real tenant.
import * as https from "node:https";

export interface LoopbackFetch {
  fetch: typeof fetch;
  /** Closes the kept-alive connections. */
  close(): void;
}

export function loopbackFetch(options: { port: number; hosts: readonly string[]; ca: string }): LoopbackFetch {
  const agent = new https.Agent({ keepAlive: true, ca: options.ca });
  const fetchImpl = async (input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1] = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol !== "https:" || !options.hosts.includes(url.hostname)) {
      throw new TypeError(`loopback fetch: refusing ${url.origin} (only https://${options.hosts.join(", https://")})`);
    }
    const headers: Record<string, string> = { host: url.host };
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = init.body === undefined || init.body === null ? undefined : Buffer.from(String(init.body));
    if (body) headers["content-length"] = String(body.length);

    return new Promise<Response>((resolve, reject) => {
      const request = https.request(
        {
          agent,
          host: "127.0.0.1",
          port: options.port,
          servername: url.hostname,
          method: init.method ?? "GET",
          path: `${url.pathname}${url.search}`,
          headers,
          signal: init.signal ?? undefined,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
            }
            const noBody = status === 204 || status === 304;
            resolve(
              new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage, headers: responseHeaders }),
            );
          });
        },
      );
      // As the global fetch does: an abort rejects with the AbortError, anything else with "fetch failed".
      request.on("error", (error) => reject(error.name === "AbortError" ? error : new TypeError("fetch failed", { cause: error })));
      request.end(body);
    });
  };
  return { fetch: fetchImpl as typeof fetch, close: () => agent.destroy() };
}
