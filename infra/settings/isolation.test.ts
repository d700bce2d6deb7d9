// The ephemeral guard's protected domains: entries that cannot protect anything are refused when the
// stack file is parsed (key and file named), and hosts are compared after NFKC and IDNA.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseSettings, SettingsError } from ".";
import { renderStackFile, TEMPLATE_FILE } from "../../tools/lib/ephemeral/stack-file";
import { stackConfigFromText } from "../../harness/stack-file";
import { normaliseDomain, protectedDomainProblem } from "./isolation";

const ROOT = path.resolve(__dirname, "..", "..");
const TEMPLATE = readFileSync(path.join(ROOT, TEMPLATE_FILE), "utf8");
const PROTECTED = "    protectedDomains:\n      - myapp.eu.auth0.com\n";

/** Parses eph-alpha with `entry` added to the template's protected domains (as the second entry). */
function parseWith(entry: string, domain = "sandbox-myapp.eu.auth0.com") {
  expect(TEMPLATE).toContain(PROTECTED);
  const text = TEMPLATE.replace(PROTECTED, `${PROTECTED}      - ${JSON.stringify(entry)}\n`).replace(
    "auth0:domain: sandbox-myapp.eu.auth0.com",
    `auth0:domain: ${domain}`,
  );
  return parseSettings("eph-alpha", stackConfigFromText("eph-alpha", renderStackFile(text, "alpha")).config);
}

function problemsOf(entry: string, domain?: string): string[] {
  try {
    parseWith(entry, domain);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("tenant:isolation.protectedDomains", () => {
  it.each([
    ["fullwidth letters", "ｍyapp.eu.auth0.com", 'is not written as a plain host name .*: write "myapp.eu.auth0.com"'],
    ["an ideographic full stop", "login.myapp\u3002com", 'is not written as a plain host name .*: write "login.myapp.com"'],
    ["a zero-width space", "login\u200b.myapp.com", 'is not written as a plain host name .*: write "login.myapp.com"'],
    ["a URL", "https://login.myapp.com/", 'is not written as a plain host name .*: write "login.myapp.com"'],
    ["a wildcard", "*.myapp.com", "is a wildcard: the guard compares whole host names"],
    ["a bare parent domain (a region)", "eu.auth0.com", "is a parent domain, not a tenant's host"],
    ["a bare parent domain (Auth0's)", "auth0.com", "is a parent domain, not a tenant's host"],
    ["a single label", "com", "is not a host name"],
    ["an IP address", "10.0.0.1", "is not a host name"],
  ])("refuses %s at config time, naming the key and the file", (_, entry, message) => {
    const problems = problemsOf(entry);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^tenant:isolation\\.protectedDomains\\[1\\]: .*${message}`))]);
    expect(() => parseWith(entry)).toThrow(/^Invalid configuration in Pulumi\.eph-alpha\.yaml:/);
  });

  it("shows look-alike and invisible characters as escapes in the message", () => {
    expect(problemsOf("login\u200b.myapp.com")[0]).toContain('"login\\u200b.myapp.com" is not written as a plain host name');
  });

  it("accepts plain host names, in any case, and IDNs in their xn-- form", () => {
    for (const entry of ["login.myapp.com", "Login.MyApp.com", "xn--bcher-kva.example"]) {
      expect(protectedDomainProblem(entry)).toBeUndefined();
      expect(parseWith(entry).isolation?.protectedDomains).toContain(entry);
    }
  });

  it("protects a domain however the stack's auth0:domain spells it: hosts are compared after NFKC and IDNA", () => {
    for (const domain of ["ｍyapp.eu.auth0.com", "myapp。eu.auth0.com", "MYAPP.eu.auth0.com"]) {
      expect(problemsOf("login.myapp.com", domain)).toContainEqual(
        expect.stringMatching(/^auth0:domain: .* is a protected domain \(tenant:isolation\.protectedDomains\)/),
      );
    }
  });
});

describe("normaliseDomain", () => {
  it("gives one form for the spellings of one host", () => {
    const forms = [
      "myapp.eu.auth0.com",
      "MYAPP.EU.AUTH0.COM",
      "ｍｙａｐｐ.eu.auth0.com",
      "myapp\u3002eu\u3002auth0\u3002com",
      "myapp\uff0eeu\uff0eauth0\uff0ecom",
      "myapp\u200b.eu.auth0.com",
      "https://myapp.eu.auth0.com:443/path?q",
      "myapp.eu.auth0.com.",
    ];
    expect(new Set(forms.map(normaliseDomain))).toEqual(new Set(["myapp.eu.auth0.com"]));
    expect(normaliseDomain("bücher.example")).toBe("xn--bcher-kva.example");
  });
});
