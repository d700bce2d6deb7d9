// The README stays a page a newcomer reads in five minutes (issue 10: at most 12 kB, the two commands
// first), and every file the documentation or a code comment points to exists in the repository.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

import { configKeys } from "../infra/settings/schema";

const ROOT = path.resolve(__dirname, "..");
const README = path.join(ROOT, "README.md");
const DOCS = path.join(ROOT, "docs");

/** Relative Markdown link targets (`[text](target)`), without their `#fragment`; URLs are left out. */
function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#")).map((t) => t.split("#")[0]);
}

/** Repository files named in comments as `docs/<page>.md` or `<folder>/README.md`. */
function citedMarkdownFiles(source: string): string[] {
  return [...source.matchAll(/\b((?:docs|policy)\/[\w./-]*?\.md)\b/g)].map((m) => m[1]);
}

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => /\.(ts|js|ya?ml|json)$/.test(f));
}

describe("the README", () => {
  const text = readFileSync(README, "utf8");

  it("is at most 12 kB", () => {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(12 * 1024);
  });

  it("opens with the two commands: setup with the offline plan of dev, and the tests", () => {
    const firstBlock = text.split("```")[1];
    expect(firstBlock).toContain("npm ci && npm run plan -- --stack dev");
    expect(firstBlock).toContain("npm test");
  });

  it("links every page of docs/", () => {
    const pages = readdirSync(DOCS).filter((f) => f.endsWith(".md"));
    expect(pages.filter((page) => !text.includes(`(docs/${page})`))).toEqual([]);
  });

  it("says which Node.js a user needs, and that .nvmrc agrees", () => {
    expect(text).toMatch(/Node(\.js)? 22/);
    expect(readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).toBe("22");
  });
});

describe("links between pages", () => {
  const pages = [README, ...readdirSync(DOCS).map((f) => path.join(DOCS, f))].filter((f) => f.endsWith(".md"));

  it.each(pages.map((p) => [path.relative(ROOT, p), p]))("%s links only to files that exist", (_name, page) => {
    const missing = relativeLinks(readFileSync(page, "utf8")).filter((target) => !existsSync(path.resolve(path.dirname(page), target)));
    expect(missing).toEqual([]);
  });

  it("finds a broken link when there is one", () => {
    expect(relativeLinks("see [x](docs/missing-page.md#a) and [y](https://example.com) and [z](#here)")).toEqual(["docs/missing-page.md"]);
  });
});

describe("code comments", () => {
  it("cite only documentation pages that exist", () => {
    const broken = trackedFiles()
      .filter((file) => file !== "test/docs.test.ts")
      .flatMap((file) =>
        citedMarkdownFiles(readFileSync(path.join(ROOT, file), "utf8"))
          .filter((cited) => !existsSync(path.join(ROOT, cited)))
          .map((cited) => `${file}: ${cited}`),
      );
    expect(broken).toEqual([]);
  });

  it("cite no section of the README, whose sections moved to docs/", () => {
    const citing = trackedFiles().filter(
      (file) =>
        file !== "test/docs.test.ts" &&
        /README's "|README, "|in README\.md\)|AUTH0_FACTS\.md/.test(readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(citing).toEqual([]);
  });
});

describe("the configuration page", () => {
  const page = readFileSync(path.join(DOCS, "configuration.md"), "utf8");
  /** The first cell of each row of the key table: `auth0:domain`, `tenant:api`, ... */
  const rows = new Map([...page.matchAll(/^\| `([a-z0-9]+:[A-Za-z]+)` *\|(.*)$/gm)].map((m) => [m[1], m[2]] as const));

  it("lists exactly the keys the schema states, once each", () => {
    expect([...rows.keys()].sort()).toEqual(
      configKeys()
        .map((k) => k.key)
        .sort(),
    );
  });

  it("gives each key's default and marks each secret as the schema does", () => {
    for (const key of configKeys()) {
      const row = rows.get(key.key) ?? "";
      if (key.default !== undefined) expect(`${key.key}: ${row}`).toContain(`default \`${JSON.stringify(key.default)}\``);
      expect(`${key.key}: ${/\*\*secret\*\*/.test(row)}`).toBe(`${key.key}: ${key.secret}`);
    }
  });
});
