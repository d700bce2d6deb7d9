import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childNames } from "../names";
import { childOptions } from "../options";
import { TEST_CONNECTION_PURPOSE, TYPES } from "../resource-types";
import type { TestLoginSettings } from "../settings/test-login";

export interface TestLoginArgs {
  testLogin: TestLoginSettings;
  /** The stack's marker (eph-<id>), written into the connection's metadata. */
  marker: string;
  /** Client IDs of the stack's interactive applications: the only clients the connection is enabled for. */
  clientIds: pulumi.Input<string>[];
  /** Role IDs by Auth0 role name (the stack's prefixed roles). */
  roleIds: Record<string, pulumi.Input<string>>;
  protect: boolean;
}

/**
 * Test-only: a database connection of the stack's own, enabled for the stack's clients only, and the
 * committed fixture users in it with generated passwords (Pulumi secrets) and the stack's roles.
 */
export class TestLogin extends pulumi.ComponentResource {
  readonly connection: pulumi.Output<string>;
  readonly users: Record<string, { email: pulumi.Output<string>; userId: pulumi.Output<string> }> = {};
  /** Passwords by user key: one secret Output, never in clear in state, plan or logs. */
  readonly passwords: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: TestLoginArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tenant:auth0:TestLogin", name, {}, opts);
    const { testLogin } = args;

    // The stack's own users live here: no signup, so nobody but this program adds a user to it.
    const connection = new auth0.Connection(
      childNames.connection(name),
      {
        name: testLogin.connection,
        strategy: "auth0",
        metadata: { purpose: TEST_CONNECTION_PURPOSE, stack_marker: args.marker },
        options: { disableSignup: true, requiresUsername: false, bruteForceProtection: true, passwordPolicy: "good" },
      },
      childOptions(TYPES.connection, args, this),
    );

    // Enabled for this stack's clients only: a user of one stack can never log in to another stack's application.
    new auth0.ConnectionClients(
      childNames.connectionClients(name),
      { connectionId: connection.id, enabledClients: args.clientIds },
      childOptions(TYPES.connectionClients, args, this),
    );

    const passwords: Record<string, pulumi.Output<string>> = {};
    for (const user of testLogin.users) {
      // Per stack and user; RandomPassword's result is a secret output (additionalSecretOutputs in @pulumi/random).
      const password = new random.RandomPassword(
        childNames.testUserPassword(name, user.key),
        {
          length: testLogin.passwordLength,
          lower: true,
          upper: true,
          numeric: true,
          special: false,
          minLower: 2,
          minUpper: 2,
          minNumeric: 2,
        },
        childOptions("random:index/randomPassword:RandomPassword", args, this),
      );
      const created = new auth0.User(
        childNames.testUser(name, user.key),
        {
          connectionName: connection.name,
          email: user.email,
          emailVerified: true,
          name: user.name,
          password: password.result,
          appMetadata: JSON.stringify(user.appMetadata),
          userMetadata: JSON.stringify(user.userMetadata),
        },
        childOptions(TYPES.user, args, this),
      );
      if (user.roles.length > 0) {
        new auth0.UserRoles(
          childNames.testUserRoles(name, user.key),
          { userId: created.userId, roles: user.roles.map((role) => args.roleIds[role]) },
          childOptions(TYPES.userRoles, args, this),
        );
      }
      this.users[user.key] = { email: pulumi.output(user.email), userId: created.userId };
      passwords[user.key] = password.result;
    }

    this.connection = connection.name;
    this.passwords = pulumi.secret(pulumi.all(passwords));
    this.registerOutputs({ connection: this.connection, users: this.users, passwords: this.passwords });
  }
}
