import { action, triggerAction, triggerActions } from "./fixtures";
import { checkTriggerBindings } from "./trigger-bindings";

describe("auth0-trigger-binding-owner", () => {
  it("accepts one TriggerActions owning post-login", () => {
    expect(checkTriggerBindings([action(), triggerActions()], { ephemeral: false })).toEqual([]);
  });

  it("accepts TriggerAction bindings alone, in any stack", () => {
    const resources = [action(), triggerAction("a"), triggerAction("b")];
    expect(checkTriggerBindings(resources, { ephemeral: false })).toEqual([]);
    expect(checkTriggerBindings(resources, { ephemeral: true })).toEqual([]);
  });

  it("refuses TriggerAction on a trigger TriggerActions owns, attached to the TriggerAction", () => {
    const appender = triggerAction();
    expect(checkTriggerBindings([triggerActions(), appender], {})).toEqual([
      {
        urn: appender.urn,
        message:
          'TriggerAction "post-login-claim-mapping" binds to post-login, whose whole list TriggerActions "post-login" owns: the next update of "post-login" removes this binding. ' +
          'Fix: use one mode per trigger: add the Action to tenant:postLogin.actions with mode "owner", or bind every Action with mode "additive".',
      },
    ]);
  });

  it("allows the two kinds on different triggers", () => {
    expect(checkTriggerBindings([triggerActions("post-login"), triggerAction("reset", "post-change-password")], {})).toEqual([]);
  });

  it("refuses two TriggerActions on one trigger", () => {
    expect(checkTriggerBindings([triggerActions("a"), triggerActions("b")], {})).toEqual([
      {
        urn: triggerActions("b").urn,
        message:
          'TriggerActions "b" and "a" both own the post-login bindings: each update replaces the whole list, so one removes the other\'s Actions. ' +
          "Fix: list every post-login Action, in order, in one TriggerActions.",
      },
    ]);
  });

  it("refuses TriggerActions in an ephemeral stack", () => {
    expect(checkTriggerBindings([triggerActions()], { ephemeral: true })).toEqual([
      {
        urn: triggerActions().urn,
        message:
          'TriggerActions "post-login" makes this ephemeral stack own the whole post-login list of the shared sandbox tenant, removing the bindings of every other stack there. ' +
          'Fix: set tenant:postLogin.mode to "additive" in this stack\'s file, so each Action is appended with its own TriggerAction.',
      },
    ]);
  });

  it("treats a stack as not ephemeral when its config says nothing", () => {
    expect(checkTriggerBindings([triggerActions()], {})).toEqual([]);
  });
});
