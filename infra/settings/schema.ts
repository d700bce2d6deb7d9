// The shape of a stack's `tenant:*` config. Structure only: rules that relate keys to each other (a grant's
// scopes exist on the API, a minimum plan is declared, ...) live in validate.ts.
//
// zod's v3 API (the `zod/v3` entry zod 4 ships and keeps): every `pulumi preview` loads this file, and zod 4's
// CommonJS entry loads all 95 of its modules, 64 of them locales, whatever a schema uses: about 120 ms of
// each start-up, against 15 ms for zod/v3's ten (docs/performance.md, issue 13's target 3). The schema needs
// nothing zod 4 added. Messages are zod 3's; infra/settings/index.ts words them as problems with the key.
import { z } from "zod/v3";
import { TIERS } from "../../actions/claim-mapping/settings";
import { PLAN_NAME_PATTERN } from "../../actions/claim-mapping/values";
import { EPHEMERAL_ID_PATTERN } from "./stack-names";

export const APP_TYPES = ["spa", "regular_web", "native", "non_interactive"] as const;
export type AppType = (typeof APP_TYPES)[number];

/** Stable keys become Pulumi logical names: lower-case kebab-case, so they never need quoting or renaming. */
export const KEY_PATTERN = /^[a-z][a-z0-9-]{0,47}$/;
const key = z.string().regex(KEY_PATTERN, "must be lower-case kebab-case (a-z, 0-9, -), 1-48 characters");
const nonEmpty = z.string().trim().min(1, "must not be empty");
const strings = z.array(nonEmpty);

export const applicationSchema = z.strictObject({
  /** Stable key: the Pulumi logical name and the key of the clientIds output. Never rename a live one. */
  key,
  /** Display name in Auth0 and on the login page. */
  name: nonEmpty.max(255),
  type: z.enum(APP_TYPES),
  tier: z.enum(TIERS),
  description: z.string().max(140).optional(),
  callbacks: strings.default([]),
  logoutUrls: strings.default([]),
  webOrigins: strings.default([]),
  /** Login policies the claim-mapping Action enforces, written into client metadata. */
  policy: z
    .strictObject({
      /** The lowest user plan (from tenant:claims.plans) that may sign in. */
      minimumPlan: nonEmpty.optional(),
      /** Users must have app_metadata.tenant_id. */
      requireTenant: z.boolean().default(false),
    })
    .default({ requireTenant: false }),
  /** API scopes granted to a machine-to-machine application (a client grant on tenant:api). */
  apiScopes: strings.default([]),
  /** Extra client metadata (strings; Auth0 allows 10 keys of 255 characters in all, ours included). */
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export const apiSchema = z.strictObject({
  name: nonEmpty.max(255),
  /** The audience. Auth0 cannot change it on a live API: a change replaces the API. */
  identifier: nonEmpty.max(600),
  scopes: z
    .array(
      z.strictObject({
        value: z.string().regex(/^\S{1,280}$/, "must be one OAuth scope token: no spaces"),
        description: z.string().max(500).default(""),
      }),
    )
    .default([]),
  /** Access token lifetime in seconds (Auth0 allows up to 30 days). */
  tokenLifetime: z.number().int().min(1).max(2_592_000).default(86_400),
});

export const roleSchema = z.strictObject({
  /** Stable key for the Pulumi logical name; defaults to the name in kebab-case. Set it to the old one
   * when renaming a role, so Auth0 updates the role in place instead of replacing it. */
  key: key.optional(),
  name: nonEmpty.max(255),
  description: z.string().max(255).default(""),
  /** API scopes (from tenant:api.scopes) the role grants. */
  permissions: strings.default([]),
});

export const claimsSchema = z.strictObject({
  /** Prefix of every custom claim, for example https://myapp.com/ */
  namespace: nonEmpty,
  /** Plans, lowest rank first, named as actions/claim-mapping/values.ts defines a plan name. */
  plans: z
    .array(z.string().regex(PLAN_NAME_PATTERN, "must be lower-case kebab-case (a-z, 0-9, -), 1-48 characters"))
    .min(1, "must declare at least one plan"),
  tierFeatures: z.strictObject({ free: strings, pro: strings, enterprise: strings }),
  /** user_metadata keys copied to the ID token only (preferences such as theme). */
  idTokenPreferences: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a snake_case user_metadata key")).default([]),
});

/**
 * owner: this stack owns the whole post-login list (one auth0.TriggerActions) and sets its order.
 * additive: each managed Action is appended with its own auth0.TriggerAction; the list is shared.
 */
export const BINDING_MODES = ["owner", "additive"] as const;
export type BindingMode = (typeof BINDING_MODES)[number];

export const bindingSchema = z.union([
  /** A managed Action, by the name this program manages it under. */
  nonEmpty,
  /** A managed Action with its own binding mode (mixing modes on one trigger is refused). */
  z.strictObject({ action: nonEmpty, mode: z.enum(BINDING_MODES) }),
  /** An Action this program does not manage, kept in place by its id (owner mode only). */
  z.strictObject({ id: nonEmpty, displayName: nonEmpty }),
]);

export const postLoginSchema = z.strictObject({
  mode: z.enum(BINDING_MODES),
  /** Bindings in execution order. */
  actions: z.array(bindingSchema).min(1, "must bind at least one Action"),
  /**
   * owner mode: the list above includes everything already bound in the tenant (written by
   * `npm run adopt`, or set after checking the tenant by hand). Until then `plan` warns that taking
   * ownership removes whatever else is bound.
   */
  adopted: z.boolean().default(false),
  /**
   * Step 1 of a binding-mode switch (docs/bindings.md): the next update keeps this mode's binding resources'
   * bindings in Auth0 when they leave the stack (retainOnDelete, unprotected), so that step 2, setting
   * `mode` to this value, never leaves post-login without the claim-mapping Action.
   */
  switchTo: z.enum(BINDING_MODES).optional(),
});

/** An ephemeral stack's isolation inside a shared sandbox tenant (Pulumi.ephemeral.yaml). */
export const isolationSchema = z.strictObject({
  /** The stack is eph-<id>; `npm run ephemeral -- config <id>` writes it. */
  id: z.string().regex(EPHEMERAL_ID_PATTERN, `must match ${EPHEMERAL_ID_PATTERN.source}`),
  /** Every domain whose post-login list a stack owns (prod, dev, their custom domains): never host an ephemeral stack. */
  protectedDomains: z.array(nonEmpty).min(1, "must list the domains of the tenants that dev and prod own"),
});

/** Opt-in login enrichment from the system of record (the API key is the secret tenant:enrichmentApiKey). */
export const enrichmentSchema = z.strictObject({
  /** https base URL; the Action appends the URL-encoded user_id and GETs { tenant_id, plan }. */
  url: z.string().regex(/^https:\/\/[^/?#\s]+\/\S*$/, "must be an https URL ending in a path the user id is appended to"),
  /** Hard timeout in ms for the whole request: at most 5 s of Auth0's 20 s trigger budget. */
  timeoutMs: z.number().int().min(100).max(5000).default(2000),
  /** proceed: log in without the missing claims; deny: refuse the login with a reason to retry. */
  onFailure: z.enum(["proceed", "deny"]).default("proceed"),
  /** How long a lookup is cached in api.cache (Auth0 keeps entries at most 24 h). */
  cacheTtlSeconds: z.number().int().min(1).max(86_400).default(900),
});

/**
 * Domains that can never receive mail (RFC 2606 / RFC 6761): the reserved TLDs .invalid, .test and .example,
 * and example.com/.net/.org. Test users' emails live under one, so Auth0 can never mail a real person.
 */
export const NON_DELIVERABLE_EMAIL_DOMAIN = /^([a-z0-9-]+\.)*([a-z0-9-]+\.(invalid|test|example)|example\.(com|net|org))$/;

/** A committed fixture user of an ephemeral stack (tenant:testLogin.users). */
export const testUserSchema = z.strictObject({
  /** Stable key: the Pulumi logical name, the local part of the email and `--user <key>`. */
  key,
  /** Display name (defaults to the key). */
  name: nonEmpty.max(255).optional(),
  /** Role names from tenant:roles; the user gets the stack's prefixed roles. */
  roles: strings.default([]),
  /** app_metadata as Auth0 stores it (tenant_id, plan): authorization data. */
  appMetadata: z.record(z.string(), z.unknown()).default({}),
  /** user_metadata (preferences such as theme): never authorization data. */
  userMetadata: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Test-only (ephemeral stacks only): a database connection of the stack's own, the fixture users in it, and
 * the password-realm grant on the stack's interactive clients so integration tests log in without a browser.
 */
export const testLoginSchema = z.strictObject({
  /** Domain of the users' emails: one that cannot receive mail (RFC 2606). */
  emailDomain: z
    .string()
    .regex(NON_DELIVERABLE_EMAIL_DOMAIN, "must be a domain that cannot receive mail (RFC 2606), for example example.invalid")
    .default("example.invalid"),
  /** Length of each user's generated password. */
  passwordLength: z.number().int().min(16).max(128).default(32),
  users: z.array(testUserSchema).min(1, "must declare at least one test user"),
});

/** The project's config keys (namespace `tenant`), each with its schema. */
export const tenantConfigSchema = z.strictObject({
  protect: z.boolean().default(false).describe("Set Pulumi's `protect` on the applications, the API and the Action (true in prod)."),
  api: apiSchema.describe("The API (resource server): name, identifier (the audience, different per environment), scopes, token lifetime."),
  roles: z.array(roleSchema).default([]).describe("RBAC roles, each with a name, a description and the API scopes it grants."),
  claims: claimsSchema.describe(
    "What the claim-mapping Action puts in tokens: namespace, plans in rank order, tier -> features, ID-token preferences.",
  ),
  applications: z
    .array(applicationSchema)
    .min(1, "must declare at least one application")
    .describe("Applications: key, name, type, tier, policy (minimumPlan, requireTenant), URLs, API scopes for machine-to-machine apps."),
  postLogin: postLoginSchema.describe(
    "The post-login bindings in execution order, and how they are bound (owner: one TriggerActions owns the list; additive: a TriggerAction per Action).",
  ),
  isolation: isolationSchema
    .optional()
    .describe("Ephemeral stacks only: the stack id (eph-<id>) and the protected domains an ephemeral stack must never run in."),
  enrichment: enrichmentSchema
    .optional()
    .describe(
      "Opt-in: the system of record the Action asks for a missing tenant or plan (url, timeoutMs, onFailure: proceed|deny, cacheTtlSeconds).",
    ),
  testLogin: testLoginSchema
    .optional()
    .describe(
      "Ephemeral stacks only: a test connection, fixture users with generated passwords and the password-realm grant, for integration tests.",
    ),
});

/** One config key as the docs and Pulumi.yaml state it. */
export interface ConfigKey {
  /** The full key: "tenant:applications". */
  key: string;
  /** Every stack must set it (Pulumi.yaml declares it without a default). */
  required: boolean;
  /** The value when a stack does not set it; absent for required and optional keys. */
  default?: unknown;
  /** Set with `pulumi config set --secret`, never parsed or printed. */
  secret: boolean;
  description: string;
}

/** The provider keys the program reads (outside the project namespace, so Pulumi.yaml cannot declare them). */
export const PROVIDER_KEYS: readonly ConfigKey[] = [
  {
    key: "auth0:domain",
    required: true,
    secret: false,
    description: "The tenant's Auth0 domain (dev-myapp.eu.auth0.com). Resources are created only here.",
  },
  {
    key: "auth0:clientId",
    required: true,
    secret: false,
    description: "Client ID of the machine-to-machine application Pulumi uses for the Management API.",
  },
  {
    key: "auth0:clientSecret",
    required: false,
    secret: true,
    description:
      "Its secret. Dev and prod leave it out of the stack file: `pulumi up` reads AUTH0_CLIENT_SECRET (docs/pull-requests.md); only ephemeral stacks keep it in config.",
  },
];

/**
 * Every config key the program reads, with its default and description, from the schema: the one statement
 * of them. test/project-file.test.ts checks Pulumi.yaml against it; the docs' config table can be generated
 * from it.
 */
export function configKeys(): ConfigKey[] {
  const project = Object.entries(tenantConfigSchema.shape).map(([name, schema]): ConfigKey => {
    const optional = schema.safeParse(undefined).success;
    return {
      key: `tenant:${name}`,
      required: !optional,
      ...(schema instanceof z.ZodDefault && { default: (schema as z.ZodDefault<z.ZodTypeAny>)._def.defaultValue() }),
      secret: false,
      description: schema.description ?? "",
    };
  });
  const secrets = SECRET_KEYS.map(
    (name): ConfigKey => ({
      key: `tenant:${name}`,
      required: false,
      secret: true,
      description: "The system of record's API key, passed to the Action as the secret SOR_API_KEY (with tenant:enrichment).",
    }),
  );
  return [...PROVIDER_KEYS, ...project, ...secrets];
}

/** Project keys that hold secrets: read by the program as Outputs, never parsed or printed. */
export const SECRET_KEYS = ["enrichmentApiKey"] as const;

export type TenantConfig = z.infer<typeof tenantConfigSchema>;
export type ApplicationConfig = z.infer<typeof applicationSchema>;
export type RoleConfig = z.infer<typeof roleSchema>;
export type ApiConfig = z.infer<typeof apiSchema>;
export type BindingConfig = z.infer<typeof bindingSchema>;
export type IsolationConfig = z.infer<typeof isolationSchema>;
export type TestLoginConfig = z.infer<typeof testLoginSchema>;
