import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "./password.server.ts";
import { createSession, deleteExpiredSessions, endSession } from "./session.server.ts";
import { reserveAttempt } from "./throttle.server.ts";
import { findUserByUsername, normalizeUsername, type UserRecord } from "./users.server.ts";

/** The one message for an unknown user, a wrong password and a disabled account. */
export const LOGIN_FAILED_MESSAGE = "Unknown username or wrong password.";

export type LoginResult =
  | { ok: true; token: string; expiresAt: number; userId: string }
  | { ok: false; reason: "invalid"; message: string }
  | { ok: false; reason: "throttled"; message: string; retryAfterSeconds: number };

/**
 * Checks a username and password, with throttling. Every non-throttled attempt costs exactly
 * one Argon2id verification (against a dummy hash when the user is unknown or disabled), so
 * the answer and its timing do not tell whether an account exists.
 */
export async function login(
  db: Db,
  input: {
    username: string;
    password: string;
    ip: string | null;
    /**
     * The session token the browser held before, if any: that session ends, whoever it belonged
     * to, provided the token's secret verifies.
     */
    previousSessionToken?: string | null;
  },
  now: number = Date.now(),
): Promise<LoginResult> {
  const username = normalizeUsername(input.username).slice(0, 128);
  // Check the throttle and reserve this attempt in one step: simultaneous attempts count each
  // other, so a burst gets no more password checks than the free failures.
  const reservation = await reserveAttempt(db, username, input.ip, now);
  if (!reservation.ok) {
    const retryAfterSeconds = Math.ceil(reservation.waitMs / 1000);
    return {
      ok: false,
      reason: "throttled",
      retryAfterSeconds,
      message: `Too many failed attempts. Try again in ${formatWait(retryAfterSeconds)}.`,
    };
  }
  const { attempt } = reservation;
  let user: UserRecord;
  try {
    const found = username ? await findUserByUsername(db, username) : null;
    const usable = found !== null && found.disabled_at_ms === null;
    const passwordOk = await verifyPassword(usable ? found.password_hash : null, input.password);
    if (!usable || !passwordOk) {
      await attempt.failed();
      return { ok: false, reason: "invalid", message: LOGIN_FAILED_MESSAGE };
    }
    user = found;
    await attempt.succeeded();
  } finally {
    attempt.release();
  }
  if (needsRehash(user.password_hash) && passwordProblem(input.password) === null) {
    // The password is known right now: upgrade a hash made with older, weaker parameters.
    await db.run(loadSql("auth/user_set_password"), { user_id: user.user_id, password_hash: await hashPassword(input.password), now });
  }
  // Only a token whose secret verifies ends a session: an id alone (a forged cookie) ends none.
  if (input.previousSessionToken) await endSession(db, input.previousSessionToken);
  await deleteExpiredSessions(db, now); // housekeeping, on the rare write path
  const session = await createSession(db, user.user_id, now);
  return { ok: true, token: session.token, expiresAt: session.expiresAt, userId: user.user_id };
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds > 1 ? "s" : ""}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? "s" : ""}`;
}
