// `review --base <ref>`: the ref reaches git as a revision, never as an option, however it is spelled.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { UserError } from "../../../infra/errors";
import { mergeBase, withRevision } from "./base";

describe("the base revision", () => {
  it("is read as a revision even when it looks like an option of git merge-base", () => {
    // Without --end-of-options, git merge-base --independent HEAD prints HEAD: a review of nothing.
    expect(() => mergeBase("--independent")).toThrow(UserError);
    expect(() => mergeBase("--independent")).toThrow(/--end-of-options --independent HEAD failed: .*Not a valid object name --independent/);
  });

  it("is read as a revision by git archive: an option-like ref writes no file and runs nothing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "review-base-"));
    try {
      const output = path.join(dir, "written.tar");
      let ran = false;
      await expect(
        withRevision(`--output=${output}`, async () => {
          ran = true;
        }),
      ).rejects.toThrow(
        new RegExp(`git archive --output=${output.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} failed: .*not a valid object name`, "i"),
      );
      expect(ran).toBe(false);
      expect(existsSync(output)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still resolves an ordinary ref", () => {
    expect(mergeBase("HEAD")).toMatch(/^[0-9a-f]{40}$/);
  });
});
