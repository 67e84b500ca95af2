import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSessionToken, sessionCookie, clearSessionCookie } from "../../analytics/auth/cookie.server.ts";
import {
  createSession,
  endSession,
  invalidateSession,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  validateSessionToken,
} from "../../analytics/auth/session.server.ts";
import { disableUser, enableUser } from "../../analytics/auth/users.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { count, fixtureDb, insertUser, ORG_A } from "./helpers.ts";

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const MINUTE = 60_000;

describe("sessions", () => {
  let db: Db;
  let userId: string;

  beforeAll(async () => {
    db = await fixtureDb();
    userId = await insertUser(db, "hr-alpha", "hr", ORG_A);
  });
  afterAll(() => db.close());

  it("issues a fresh ≥128-bit token each time and stores only the SHA-256 of its secret", async () => {
    const a = await createSession(db, userId, T0);
    const b = await createSession(db, userId, T0);
    expect(a.token).not.toBe(b.token);
    const [id, secret] = a.token.split(".");
    expect(id.length * 5).toBeGreaterThanOrEqual(120);
    expect(secret.length * 5).toBeGreaterThanOrEqual(256);
    const rows = await db.all<{ session_id: string; secret_hash: string }>(
      "select session_id, secret_hash from sessions where session_id = $id",
      { id },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await db.all("select * from sessions"))).not.toContain(secret);
    const valid = await validateSessionToken(db, a.token, T0 + MINUTE);
    expect(valid?.user).toMatchObject({ userId, role: "hr", orgId: ORG_A, orgName: "Alpha Corp", username: "hr-alpha" });
  });

  it("treats malformed, unknown and tampered tokens as signed out without throwing", async () => {
    const { token } = await createSession(db, userId, T0);
    const [id, secret] = token.split(".");
    const tampered = `${id}.${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    const unknown = `${"a".repeat(24)}.${secret}`;
    const bad = [
      "",
      "garbage",
      `${id}.`,
      `.${secret}`,
      `${id}.${secret}.x`,
      `${id.toUpperCase()}.${secret}`,
      "x".repeat(10_000),
      "%E0%A4%A",
      "'; drop table users; --",
      tampered,
      unknown,
    ];
    for (const value of bad) await expect(validateSessionToken(db, value, T0)).resolves.toBeNull();
    await expect(validateSessionToken(db, null, T0)).resolves.toBeNull();
    expect(await count(db, "users")).toBe(1);
  });

  it("ends at the absolute lifetime even when active, and the row is removed", async () => {
    const { token, sessionId } = await createSession(db, userId, T0);
    let now = T0;
    // Active every 30 minutes: the inactivity timeout never triggers…
    while (now + 30 * MINUTE < T0 + SESSION_ABSOLUTE_MS) {
      now += 30 * MINUTE;
      expect(await validateSessionToken(db, token, now)).not.toBeNull();
    }
    // …but the absolute lifetime does.
    expect(await validateSessionToken(db, token, T0 + SESSION_ABSOLUTE_MS)).toBeNull();
    expect(await db.all("select 1 from sessions where session_id = $id", { id: sessionId })).toHaveLength(0);
  });

  it("ends after the inactivity timeout, and activity slides it", async () => {
    const idle = await createSession(db, userId, T0);
    expect(await validateSessionToken(db, idle.token, T0 + SESSION_IDLE_MS - MINUTE)).not.toBeNull();
    // Seen again just now: still valid a little under one timeout later.
    expect(await validateSessionToken(db, idle.token, T0 + 2 * SESSION_IDLE_MS - 2 * MINUTE)).not.toBeNull();
    // Silent for a whole timeout: gone.
    expect(await validateSessionToken(db, idle.token, T0 + 3 * SESSION_IDLE_MS)).toBeNull();
    expect(await validateSessionToken(db, idle.token, T0 + MINUTE)).toBeNull();
  });

  it("logout invalidates the session on the server", async () => {
    const { token, sessionId } = await createSession(db, userId, T0);
    await invalidateSession(db, sessionId);
    expect(await validateSessionToken(db, token, T0 + MINUTE)).toBeNull();
  });

  it("endSession ends a session only for a token whose secret verifies", async () => {
    const { token } = await createSession(db, userId, T0);
    const [id, secret] = token.split(".");
    const wrongSecret = `${id}.${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    for (const bad of [wrongSecret, id, `${id}.`, "garbage", null, `${"a".repeat(24)}.${secret}`]) {
      expect(await endSession(db, bad), String(bad)).toBe(false);
    }
    expect(await validateSessionToken(db, token, T0 + MINUTE)).not.toBeNull();
    expect(await endSession(db, token)).toBe(true);
    expect(await validateSessionToken(db, token, T0 + MINUTE)).toBeNull();
    expect(await endSession(db, token)).toBe(false);
  });

  it("disabling a user kills all of their sessions; enabling does not revive them", async () => {
    const now = Date.now();
    const s1 = await createSession(db, userId, now);
    const s2 = await createSession(db, userId, now);
    expect(await validateSessionToken(db, s1.token, now)).not.toBeNull();
    await disableUser(db, "HR-Alpha", now);
    expect(await db.all("select 1 from sessions where user_id = $u", { u: userId })).toHaveLength(0);
    expect(await validateSessionToken(db, s1.token, now)).toBeNull();
    expect(await validateSessionToken(db, s2.token, now)).toBeNull();
    await enableUser(db, "hr-alpha", now);
    expect(await validateSessionToken(db, s2.token, now)).toBeNull();
  });
});

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Lax, Path=/, plain on http and __Host- + Secure on https", () => {
    const http = sessionCookie("tok", T0 + 3600_000, T0, false);
    expect(http).toBe("binome_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600");
    const https = sessionCookie("tok", T0 + 3600_000, T0, true);
    expect(https).toMatch(/^__Host-binome_session=tok; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=3600$/);
    expect(https).not.toMatch(/Domain=/i);
    expect(clearSessionCookie(true)).toMatch(/^__Host-binome_session=; .*Max-Age=0$/);
  });

  it("is read from a Cookie header, ignoring malformed and duplicated values", () => {
    expect(readSessionToken("a=1; binome_session=abc.def; b=2", false)).toBe("abc.def");
    expect(readSessionToken("binome_session=abc", true)).toBeNull();
    expect(readSessionToken("__Host-binome_session=abc", true)).toBe("abc");
    expect(readSessionToken("binome_session=a; binome_session=b", false)).toBeNull();
    expect(readSessionToken(";;;=;binome_session", false)).toBeNull();
    expect(readSessionToken(null, false)).toBeNull();
  });
});
