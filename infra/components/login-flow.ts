import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { ACTION_RUNTIME, POST_LOGIN_TRIGGER } from "../../auth0/rules";
import type { Binding } from "../bindings";
import type { BindingMode } from "../settings/schema";
import type { ActionBundle } from "../bundle";
import { childOptions } from "../options";
import { TYPES } from "../resource-types";
import { CLAIM_MAPPING } from "../../actions/claim-mapping/settings";

export interface LoginFlowArgs {
  /** The bundled claim-mapping Action (infra/bundle.ts). */
  bundle: Promise<ActionBundle>;
  /** The Action's name in Auth0. */
  actionName: string;
  /** post-login bindings in execution order (infra/bindings.ts); one binding mode per trigger. */
  bindings: Binding[];
  /** Action secrets (read by the code as event.secrets); values stay Pulumi secrets. */
  secrets: { name: string; value: pulumi.Output<string> }[];
  protect: boolean;
  /**
   * Step 1 of a binding-mode switch (tenant:postLogin.switchTo): this mode's binding resources keep their
   * bindings in Auth0 when step 2 removes them (infra/options.ts, optionsFor; docs/bindings.md).
   */
  switchTo?: BindingMode;
}

/** The claim-mapping post-login Action, deployed, and its post-login binding. */
export class LoginFlow extends pulumi.ComponentResource {
  readonly actionId: pulumi.Output<string>;
  readonly actionVersion: pulumi.Output<string>;

  constructor(name: string, args: LoginFlowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tenant:auth0:LoginFlow", name, {}, opts);

    // deploy: true, or Auth0 keeps a draft that never runs and cannot be bound.
    const action = new auth0.Action(
      CLAIM_MAPPING,
      {
        name: args.actionName,
        runtime: ACTION_RUNTIME,
        deploy: true,
        supportedTriggers: { ...POST_LOGIN_TRIGGER },
        code: args.bundle.then((bundle) => bundle.code),
        secrets: args.secrets.length > 0 ? args.secrets : undefined,
      },
      childOptions(TYPES.action, args, this),
    );
    const managed: Record<string, auth0.Action> = { [CLAIM_MAPPING]: action };
    const modes = new Set(args.bindings.map((b) => (b.kind === "managed" ? b.mode : "owner")));
    if (modes.size > 1) throw new Error("post-login: TriggerActions and TriggerAction must never target one trigger");

    if (modes.has("owner")) {
      // This stack owns the whole post-login list: its order is execution order, and anything bound by
      // hand (and not listed by id) is removed on the next update (docs/auth0-facts.md, "Bindings and deploys").
      new auth0.TriggerActions(
        "post-login",
        {
          trigger: POST_LOGIN_TRIGGER.id,
          actions: args.bindings.map((b) =>
            b.kind === "managed"
              ? { id: managed[b.action].id, displayName: managed[b.action].name }
              : { id: b.id, displayName: b.displayName },
          ),
        },
        childOptions(TYPES.triggerActions, args, this),
      );
    } else {
      // Additive: append our Action to a list other stacks share; removing it removes only our entry.
      for (const b of args.bindings) {
        if (b.kind !== "managed") continue;
        new auth0.TriggerAction(
          `post-login-${b.action}`,
          { trigger: POST_LOGIN_TRIGGER.id, actionId: managed[b.action].id, displayName: managed[b.action].name },
          childOptions(TYPES.triggerAction, args, this),
        );
      }
    }

    this.actionId = action.id;
    this.actionVersion = action.versionId;
    this.registerOutputs({ actionId: this.actionId, actionVersion: this.actionVersion });
  }
}
