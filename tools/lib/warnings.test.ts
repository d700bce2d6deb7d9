import { planWarnings } from "./warnings";
import { parseSettings } from "../../infra/settings";
import { devConfigWith } from "../../test/support/config";

describe("plan warnings", () => {
  it("warn when a stack takes ownership of a post-login list it has not adopted", () => {
    const settings = parseSettings(
      "dev",
      devConfigWith("postLogin", (p) => ({ ...p, adopted: false })),
    );
    expect(planWarnings(settings)).toEqual([
      expect.stringMatching(/takes ownership of the post-login bindings .* will be unbound on the next update/),
    ]);
  });
  it("stay quiet for an adopted list and for additive stacks", () => {
    expect(
      planWarnings(
        parseSettings(
          "dev",
          devConfigWith("postLogin", (p) => ({ ...p, adopted: true })),
        ),
      ),
    ).toEqual([]);
  });
  it("say what step 2 of a binding-mode switch is while step 1 is in the stack file", () => {
    const settings = parseSettings(
      "dev",
      devConfigWith("postLogin", (p) => ({ ...p, adopted: true, switchTo: "additive" })),
    );
    expect(planWarnings(settings)).toEqual([
      expect.stringMatching(
        /step 1 of switching post-login from owner to additive: .* set tenant:postLogin\.mode: additive and remove switchTo/,
      ),
    ]);
  });
});
