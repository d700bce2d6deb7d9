import { checkApplicationUrls } from "./application-urls";
import { client } from "./fixtures";

const prod = { allowLocalhost: false };
const dev = { allowLocalhost: true };

describe("auth0-application-urls", () => {
  it("accepts exact https URLs", () => {
    expect(checkApplicationUrls(client("dashboard"), prod)).toEqual([]);
  });

  it("refuses a wildcard callback and says to list each URL", () => {
    const messages = checkApplicationUrls(client("dashboard", { callbacks: ["https://*.example.com/callback"] }), dev);
    expect(messages).toEqual([
      'Client "dashboard" (spa): callbacks[0] "https://*.example.com/callback" contains a wildcard. Fix: list every URL exactly, without *. ' +
        'Edit callbacks of the application "dashboard" under tenant:applications in Pulumi.<stack>.yaml.',
    ]);
  });

  it("refuses http on a public host, even where localhost is allowed", () => {
    const messages = checkApplicationUrls(client("site", { appType: "regular_web", allowedLogoutUrls: ["http://www.example.com/"] }), dev);
    expect(messages).toEqual([
      expect.stringContaining('Client "site" (regular_web): allowedLogoutUrls[0] "http://www.example.com/" uses http. Fix: use https'),
    ]);
    expect(messages[0]).toContain("Edit logoutUrls of the application");
  });

  it("refuses localhost when the stack's config does not allow it, naming the setting", () => {
    const messages = checkApplicationUrls(client("dashboard", { webOrigins: ["http://localhost:5173"], allowedOrigins: [] }), prod);
    expect(messages).toEqual([
      expect.stringContaining(
        'webOrigins[0] "http://localhost:5173" points at localhost, which this stack\'s policy config does not allow (allowLocalhost: false). Fix: remove it',
      ),
    ]);
  });

  it.each(["http://127.0.0.1:3000/callback", "https://app.localhost/callback", "http://[::1]:8080/"])("treats %s as localhost", (url) => {
    expect(checkApplicationUrls(client("dashboard", { callbacks: [url] }), prod)).toEqual([expect.stringContaining("points at localhost")]);
    expect(checkApplicationUrls(client("dashboard", { callbacks: [url] }), dev)).toEqual([]);
  });

  it("forbids localhost when the config says nothing (secure by default)", () => {
    expect(checkApplicationUrls(client("dashboard", { callbacks: ["http://localhost:3000/callback"] }), {})).toHaveLength(1);
  });

  it("refuses a URL that is not absolute", () => {
    expect(checkApplicationUrls(client("dashboard", { callbacks: ["/callback"] }), prod)).toEqual([
      expect.stringContaining('"/callback" is not an absolute URL'),
    ]);
  });

  it("refuses a custom scheme on a SPA", () => {
    expect(checkApplicationUrls(client("dashboard", { callbacks: ["com.example.app://callback"] }), prod)).toEqual([
      expect.stringContaining(
        'uses the scheme "com.example.app:". Fix: use https; only a native app\'s callbacks and logout URLs may use its own scheme.',
      ),
    ]);
  });

  describe("native applications (RFC 8252)", () => {
    const native = (overrides: Record<string, unknown>) =>
      client("mobile", { appType: "native", webOrigins: [], allowedOrigins: [], ...overrides });

    it("accept a reverse-domain custom scheme for callbacks and logout URLs", () => {
      const url = "com.myapp://myapp.eu.auth0.com/ios/com.myapp/callback";
      expect(checkApplicationUrls(native({ callbacks: [url], allowedLogoutUrls: [url] }), prod)).toEqual([]);
    });

    it("refuse a custom scheme that is not a reverse domain name", () => {
      expect(checkApplicationUrls(native({ callbacks: ["myapp://callback"] }), prod)).toEqual([
        expect.stringContaining('uses the custom scheme "myapp:", which is not a reverse domain name (RFC 8252 §7.1)'),
      ]);
    });

    it("refuse a custom scheme for web origins", () => {
      expect(checkApplicationUrls(native({ webOrigins: ["com.myapp://app"] }), prod)).toEqual([
        expect.stringContaining('webOrigins[0] "com.myapp://app" uses the scheme'),
      ]);
    });

    it("refuse wildcards", () => {
      expect(checkApplicationUrls(native({ callbacks: ["com.myapp://*/callback"] }), prod)).toEqual([
        expect.stringContaining("contains a wildcard"),
      ]);
    });
  });

  it("does not look at machine-to-machine applications or other resources", () => {
    expect(checkApplicationUrls(client("worker", { appType: "non_interactive", callbacks: ["http://localhost/"] }), prod)).toEqual([]);
    expect(checkApplicationUrls({ type: "auth0:index/role:Role", name: "admin", props: { callbacks: ["http://x/"] } }, prod)).toEqual([]);
  });

  it("reports every bad URL of every input", () => {
    const messages = checkApplicationUrls(
      client("dashboard", {
        callbacks: ["https://ok.example.com/cb", "http://localhost:5173/callback"],
        allowedLogoutUrls: ["http://localhost:5173/"],
        webOrigins: ["http://localhost:5173"],
        allowedOrigins: ["http://localhost:5173"],
      }),
      prod,
    );
    expect(messages.map((m) => m.split(" ")[3])).toEqual(["callbacks[1]", "allowedLogoutUrls[0]", "webOrigins[0]", "allowedOrigins[0]"]);
  });
});
