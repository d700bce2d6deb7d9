import * as rules from "../../auth0/rules";
import { AUTH0_NAMESPACE_HOSTS, checkClaimNamespace } from "./claim-namespace";
import { action, actionCode } from "./fixtures";

const withNamespace = (namespace: string) => action({ code: actionCode({ namespace }) });
const FIX = "Fix: set tenant:claims.namespace in Pulumi.<stack>.yaml to an https URL on a domain you own, for example https://myapp.com/.";

describe("auth0-claim-namespace", () => {
  it("accepts a namespace on our own domain", () => {
    expect(checkClaimNamespace(withNamespace("https://myapp.com/"))).toEqual([]);
  });

  it("refuses a namespace on auth0.com, saying Auth0 drops the claims", () => {
    expect(checkClaimNamespace(withNamespace("https://auth0.com/claims/"))).toEqual([
      `Action "claim-mapping" sets claims under the namespace "https://auth0.com/claims/", which is on auth0.com, an Auth0 domain: Auth0 drops those claims from tokens without an error. ${FIX}`,
    ]);
  });

  it.each(["https://myapp.eu.auth0.com/", "https://x.webtask.io/", "http://sandbox.WEBTASK.run:8443/"])(
    "refuses the Auth0 subdomain in %s",
    (namespace) => {
      expect(checkClaimNamespace(withNamespace(namespace))).toEqual([
        expect.stringMatching(/is on [a-z0-9.]+, a subdomain of the Auth0 domain (auth0\.com|webtask\.io|webtask\.run)/),
      ]);
    },
  );

  it("refuses the reserved urn:auth0 namespace", () => {
    expect(checkClaimNamespace(withNamespace("urn:auth0:claims:"))).toEqual([
      expect.stringContaining("which is in the urn:auth0 namespace Auth0 reserves"),
    ]);
  });

  it("is not fooled by a look-alike domain", () => {
    expect(checkClaimNamespace(withNamespace("https://notauth0.com/"))).toEqual([]);
    expect(checkClaimNamespace(withNamespace("https://auth0.com.myapp.com/"))).toEqual([]);
  });

  it("has nothing to check in code without a namespace setting", () => {
    expect(checkClaimNamespace(action({ code: "module.exports = {};" }))).toEqual([]);
  });

  it("flags the same hosts as auth0/rules.ts", () => {
    expect(AUTH0_NAMESPACE_HOSTS).toEqual(rules.AUTH0_NAMESPACE_HOSTS);
  });
});
