import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { ACTION_RUNTIME, POST_LOGIN_TRIGGER } from "../../auth0/rules";
import type { ActionBundle } from "../bundle";
import { childOptions } from "../options";

export interface LoginFlowArgs {
  /** The bundled claim-mapping Action (infra/bundle.ts). */
  bundle: Promise<ActionBundle>;
  /** Bound Actions in execution order, by managed name. */
  bindings: string[];
  protect: boolean;
}

/** The claim-mapping post-login Action, deployed, and the post-login binding list this stack owns. */
export class LoginFlow extends pulumi.ComponentResource {
  readonly actionId: pulumi.Output<string>;
  readonly actionVersion: pulumi.Output<string>;

  constructor(name: string, args: LoginFlowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tenant:auth0:LoginFlow", name, {}, opts);

    // deploy: true, or Auth0 keeps a draft that never runs and cannot be bound.
    const action = new auth0.Action(
      "claim-mapping",
      {
        name: "claim-mapping",
        runtime: ACTION_RUNTIME,
        deploy: true,
        supportedTriggers: { ...POST_LOGIN_TRIGGER },
        code: args.bundle.then((bundle) => bundle.code),
      },
      childOptions("auth0:index/action:Action", args, this),
    );
    const managed: Record<string, auth0.Action> = { "claim-mapping": action };

    // This stack owns the whole post-login list: its order is execution order, and anything bound by
    // hand is removed on the next update (AUTH0_FACTS.md, "Bindings and deploys").
    new auth0.TriggerActions(
      "post-login",
      {
        trigger: POST_LOGIN_TRIGGER.id,
        actions: args.bindings.map((binding) => ({ id: managed[binding].id, displayName: managed[binding].name })),
      },
      childOptions("auth0:index/triggerActions:TriggerActions", args, this),
    );

    this.actionId = action.id;
    this.actionVersion = action.versionId;
    this.registerOutputs({ actionId: this.actionId, actionVersion: this.actionVersion });
  }
}
