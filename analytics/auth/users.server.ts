import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import type { Db } from "../db/database.server.ts";
import { isOrgId, ORG_ID_RULE } from "../domain/identifiers.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { hashPassword, passwordIssue, passwordProblem, verifyPassword } from "./password.server.ts";
import { isRole, type Role } from "../domain/roles.ts";
import { createSession, invalidateUserSessions, SESSION_IDLE_MS } from "./session.server.ts";
import { clearAccountFailures, reserveAttempt } from "./throttle.server.ts";

/** What a `UserError` is about, for the interface to say it in the reader's language (app/i18n/pages/auth.ts). */
export type UserErrorCode =
  | "usernameRule"
  | "unknownRole"
  | "adminNoOrg"
  | "orgRequired"
  | "badOrgId"
  | "unknownOrg"
  | "usernameTaken"
  | "noSuchUser"
  | "cannotChange"
  | "tooManyWrong"
  | "wrongCurrent"
  | "sameAsCurrent"
  | "disableSelf"
  | "passwordTooShort"
  | "passwordTooLong"
  | "passwordBlank";

/**
 * A user-facing refusal (bad input, unknown user…): its message (English, for the CLI) is safe
 * to show; `code` and `vars` let the web pages say it in the reader's language.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: UserErrorCode | null = null,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "UserError";
  }
}

function passwordError(password: string): UserError | null {
  const issue = passwordIssue(password);
  return issue ? new UserError(passwordProblem(password)!, issue.code, issue.vars) : null;
}

export interface UserRecord {
  user_id: string;
  username: string;
  display_name: string | null;
  role: Role;
  org_id: string | null;
  password_hash: string;
  disabled_at_ms: number | null;
}

export interface UserListRow {
  user_id: string;
  username: string;
  display_name: string | null;
  role: Role;
  org_id: string | null;
  org_name: string | null;
  created_at: string;
  disabled_at: string | null;
  sessions: number;
}

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@+-]{2,63}$/;

/** Usernames are compared trimmed and lowercased (an e-mail address works well). */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function usernameProblem(username: string): string | null {
  return USERNAME_PATTERN.test(username)
    ? null
    : "A username has 3 to 64 characters: lowercase letters, digits and . _ @ + - (starting with a letter or digit).";
}

export interface NewUser {
  username: string;
  role: string;
  orgId?: string | null;
  displayName?: string | null;
  password: string;
}

/** Creates an account after checking every rule; throws `UserError` with a readable reason. */
export async function createUser(db: Db, input: NewUser, now: number = Date.now()): Promise<{ userId: string }> {
  const username = normalizeUsername(input.username);
  const problem = usernameProblem(username);
  if (problem) throw new UserError(problem, "usernameRule");
  if (!isRole(input.role)) throw new UserError(`Unknown role "${input.role}": use admin, hr, rse or sponsor.`, "unknownRole", { role: input.role });
  const orgId = input.orgId?.trim() || null;
  if (input.role === "admin" && orgId) throw new UserError("An admin sees every organization: give no organization.", "adminNoOrg");
  if (input.role !== "admin") {
    if (!orgId) throw new UserError(`A ${input.role} user belongs to an organization: give its org_id.`, "orgRequired", { role: input.role });
    // The import's rule (analytics/domain/identifiers.ts): never `*`, a space or a control character.
    if (!isOrgId(orgId)) throw new UserError(`${JSON.stringify(orgId.slice(0, 80))} is not an organization identifier (${ORG_ID_RULE}).`, "badOrgId", { org: orgId.slice(0, 80) });
    const [{ found }] = await db.all<{ found: boolean }>(loadSql("auth/org_exists"), { org_id: orgId });
    if (!found) throw new UserError(`Unknown organization "${orgId}": import a program it takes part in first.`, "unknownOrg", { org: orgId });
  }
  const badPassword = passwordError(input.password);
  if (badPassword) throw badPassword;
  const userId = `u_${randomId()}`;
  const rows = await db.all<{ user_id: string }>(loadSql("auth/user_insert"), {
    user_id: userId,
    username,
    display_name: input.displayName?.trim() || null,
    role: input.role,
    org_id: orgId,
    password_hash: await hashPassword(input.password),
    now,
  });
  if (rows.length === 0) throw new UserError(`The username "${username}" is already taken.`, "usernameTaken", { username });
  return { userId };
}

function randomId(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export async function findUserByUsername(db: Db, rawUsername: string): Promise<UserRecord | null> {
  const [row] = await db.all<UserRecord>(loadSql("auth/user_by_username"), { username: normalizeUsername(rawUsername) });
  return row ?? null;
}

export async function findUserById(db: Db, userId: string): Promise<UserRecord | null> {
  const [row] = await db.all<UserRecord>(loadSql("auth/user_by_id"), { user_id: userId });
  return row ?? null;
}

export async function countUsers(db: Db): Promise<number> {
  const [{ n }] = await db.all<{ n: number }>(loadSql("auth/user_count"));
  return n;
}

export async function listUsers(db: Db, now: number = Date.now()): Promise<UserListRow[]> {
  return db.all<UserListRow>(loadSql("auth/user_list"), { now, idle_ms: SESSION_IDLE_MS });
}

/** Disables an account and ends all of its sessions at once. */
export async function disableUser(db: Db, rawUsername: string, now: number = Date.now()): Promise<void> {
  const rows = await db.all<{ user_id: string }>(loadSql("auth/user_set_disabled"), {
    username: normalizeUsername(rawUsername),
    disabled: true,
    now,
  });
  if (rows.length === 0) throw new UserError(`No user named "${normalizeUsername(rawUsername)}".`, "noSuchUser", { username: normalizeUsername(rawUsername) });
  await invalidateUserSessions(db, rows[0].user_id);
}

export async function enableUser(db: Db, rawUsername: string, now: number = Date.now()): Promise<void> {
  const rows = await db.all<{ user_id: string }>(loadSql("auth/user_set_disabled"), {
    username: normalizeUsername(rawUsername),
    disabled: false,
    now,
  });
  if (rows.length === 0) throw new UserError(`No user named "${normalizeUsername(rawUsername)}".`, "noSuchUser", { username: normalizeUsername(rawUsername) });
}

/**
 * Sets a new password chosen by an admin (or generated): every session of the user ends and
 * the account's sign-in throttling is forgotten.
 */
export async function resetPassword(db: Db, rawUsername: string, newPassword: string, now: number = Date.now()): Promise<void> {
  const user = await findUserByUsername(db, rawUsername);
  if (!user) throw new UserError(`No user named "${normalizeUsername(rawUsername)}".`, "noSuchUser", { username: normalizeUsername(rawUsername) });
  const badPassword = passwordError(newPassword);
  if (badPassword) throw badPassword;
  await db.run(loadSql("auth/user_set_password"), { user_id: user.user_id, password_hash: await hashPassword(newPassword), now });
  await invalidateUserSessions(db, user.user_id);
  await clearAccountFailures(db, user.username);
}

/**
 * A signed-in user changes their own password: the current one is checked (throttled like a
 * sign-in, so a stolen session cannot guess it quickly), every session on every device ends,
 * and a fresh session is returned for the browser that asked.
 */
export async function changeOwnPassword(
  db: Db,
  input: { userId: string; currentPassword: string; newPassword: string; ip: string | null },
  now: number = Date.now(),
): Promise<{ token: string; expiresAt: number }> {
  const user = await findUserById(db, input.userId);
  if (!user || user.disabled_at_ms !== null) throw new UserError("This account cannot change its password.", "cannotChange");
  const reservation = await reserveAttempt(db, user.username, input.ip, now);
  if (!reservation.ok) throw new UserError(`Too many wrong passwords. Try again in ${Math.ceil(reservation.waitMs / 1000)} s.`, "tooManyWrong", { seconds: Math.ceil(reservation.waitMs / 1000) });
  try {
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await reservation.attempt.failed();
      throw new UserError("The current password is not correct.", "wrongCurrent");
    }
  } finally {
    // A right current password is no sign-in yet: the account's failures are cleared below,
    // once the new password is stored.
    reservation.attempt.release();
  }
  const badNew = passwordError(input.newPassword);
  if (badNew) throw badNew;
  if (input.newPassword === input.currentPassword) throw new UserError("The new password must differ from the current one.", "sameAsCurrent");
  await db.run(loadSql("auth/user_set_password"), {
    user_id: user.user_id,
    password_hash: await hashPassword(input.newPassword),
    now,
  });
  await invalidateUserSessions(db, user.user_id);
  await clearAccountFailures(db, user.username);
  const session = await createSession(db, user.user_id, now);
  return { token: session.token, expiresAt: session.expiresAt };
}

export interface OrganizationOption {
  org_id: string;
  name: string;
}

/** Every organization, for the admin's "new user" form. */
export async function listOrganizations(db: Db): Promise<OrganizationOption[]> {
  return db.all<OrganizationOption>(loadSql("auth/org_list"));
}
