// The fixture users: one per plan and role mix, plus one with no metadata. The review signs each of them
// into every application of a stack, and `simulate --user <key>` signs one in.
import { readFileSync } from "node:fs";
import * as path from "node:path";

export interface FixtureUser {
  key: string;
  /** RBAC role names (event.authorization.roles). */
  roles: string[];
  /** An Auth0 user profile as the Management API returns it. */
  profile: Record<string, unknown>;
}

export const FIXTURE_USERS_FILE = path.join(__dirname, "fixture-users.json");

export function fixtureUsers(file = FIXTURE_USERS_FILE): FixtureUser[] {
  return JSON.parse(readFileSync(file, "utf8")) as FixtureUser[];
}

/** The fixture user of that key, or undefined. */
export function fixtureUser(key: string, file = FIXTURE_USERS_FILE): FixtureUser | undefined {
  return fixtureUsers(file).find((user) => user.key === key);
}
