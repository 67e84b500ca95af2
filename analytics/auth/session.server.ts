import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { Role } from "../domain/roles.ts";

/** A session ends this long after sign-in, whatever the activity. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** …or after this long without a request. */
export const SESSION_IDLE_MS = 60 * 60 * 1000;
/** `last_seen_at` is written at most this often, so that reading a page is not a write each time. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface SessionUser {
  userId: string;
  username: string;
  displayName: string | null;
  role: Role;
  orgId: string | null;
  /** The organization's name as the imports give it (the header shows it), else null. */
  orgName: string | null;
}

export interface ValidSession {
  sessionId: string;
  expiresAt: number;
  user: SessionUser;
}

// Lucia's basic session design: "<id>.<secret>", each from random bytes (id 120 bits, secret
// 256 bits), base32 lowercase without padding. Separating the id (looked up) from the secret
// (compared in constant time against its stored SHA-256) keeps the lookup from leaking timing
// about the secret.
const ID_BYTES = 15;
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^([a-z2-7]{24})\.([a-z2-7]{52})$/;

function randomBase32(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** Whether a token's secret matches the stored hash (constant time); false for a corrupt hash. */
function secretMatches(secret: string, storedHex: string): boolean {
  let stored: Uint8Array;
  try {
    stored = decodeHex(storedHex);
  } catch {
    return false;
  }
  return constantTimeEqual(hashSecret(secret), stored);
}

/** Creates a session for a user (at sign-in: always a new token) and returns its token. */
export async function createSession(
  db: Db,
  userId: string,
  now: number = Date.now(),
): Promise<{ token: string; sessionId: string; expiresAt: number }> {
  const sessionId = randomBase32(ID_BYTES);
  const secret = randomBase32(SECRET_BYTES);
  const expiresAt = now + SESSION_ABSOLUTE_MS;
  await db.run(loadSql("auth/session_insert"), {
    session_id: sessionId,
    secret_hash: encodeHexLowerCase(hashSecret(secret)),
    user_id: userId,
    now,
    expires_at: expiresAt,
  });
  return { token: `${sessionId}.${secret}`, sessionId, expiresAt };
}

interface SessionRow {
  session_id: string;
  secret_hash: string;
  last_seen_at_ms: number;
  expires_at_ms: number;
  user_id: string;
  username: string;
  display_name: string | null;
  role: Role;
  org_id: string | null;
  org_name: string | null;
  disabled_at_ms: number | null;
}

/**
 * The session and user behind a token, or null for anything else: malformed, unknown, wrong
 * secret, expired, idle too long, or a disabled user. Never throws on bad input.
 */
export async function validateSessionToken(
  db: Db,
  token: string | null | undefined,
  now: number = Date.now(),
): Promise<ValidSession | null> {
  if (!token) return null;
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const [, sessionId, secret] = match;
  const [row] = await db.all<SessionRow>(loadSql("auth/session_with_user"), { session_id: sessionId });
  if (!row || !secretMatches(secret, row.secret_hash)) return null;
  if (now >= row.expires_at_ms || now - row.last_seen_at_ms >= SESSION_IDLE_MS || row.disabled_at_ms !== null) {
    await invalidateSession(db, sessionId);
    return null;
  }
  if (now - row.last_seen_at_ms >= TOUCH_EVERY_MS) {
    await db.run(loadSql("auth/session_touch"), { session_id: sessionId, now });
  }
  return {
    sessionId,
    expiresAt: row.expires_at_ms,
    user: {
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      orgId: row.org_id,
      orgName: row.org_name,
    },
  };
}

/**
 * Ends the session a token names (sign-out, signing in over an old session), only when the
 * token's secret verifies: the id alone, which is not a secret (it is the looked-up part), ends
 * nothing. Expired sessions end too. Returns whether a session ended; never throws on bad input.
 */
export async function endSession(db: Db, token: string | null | undefined): Promise<boolean> {
  const match = token ? TOKEN_PATTERN.exec(token) : null;
  if (!match) return false;
  const [, sessionId, secret] = match;
  const [row] = await db.all<Pick<SessionRow, "secret_hash">>(loadSql("auth/session_with_user"), { session_id: sessionId });
  if (!row || !secretMatches(secret, row.secret_hash)) return false;
  await invalidateSession(db, sessionId);
  return true;
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.run(loadSql("auth/session_delete"), { session_id: sessionId });
}

export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
  await db.run(loadSql("auth/sessions_delete_for_user"), { user_id: userId });
}

/** Housekeeping: removes the sessions that can no longer be used. */
export async function deleteExpiredSessions(db: Db, now: number = Date.now()): Promise<void> {
  await db.run(loadSql("auth/sessions_delete_expired"), { now, idle_ms: SESSION_IDLE_MS });
}
