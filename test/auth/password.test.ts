import { parseOptions, verify as realVerify } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LOGIN_FAILED_MESSAGE, login } from "../../analytics/auth/login.server.ts";
import { ARGON2_OPTIONS, hashPassword, passwordProblem, verifyPassword } from "../../analytics/auth/password.server.ts";
import { validateSessionToken } from "../../analytics/auth/session.server.ts";
import { delayAfter, THROTTLE } from "../../analytics/auth/throttle.server.ts";
import { changeOwnPassword, createUser, disableUser, UserError } from "../../analytics/auth/users.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { count, fixtureDb, insertUser, ORG_A, PASSWORD } from "./helpers.ts";

/** Every Argon2 verification the code under test runs, with the stored hash it used. */
const verifyCalls: { hash: string }[] = [];
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const original = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...original,
    verify: (hashed: string | Uint8Array, password: string | Uint8Array, ...rest: unknown[]) => {
      verifyCalls.push({ hash: String(hashed) });
      return (original.verify as (...args: unknown[]) => Promise<boolean>)(hashed, password, ...rest);
    },
  };
});

describe("password rules", () => {
  it("accepts 12 to 128 characters, counted as the person types them", () => {
    expect(passwordProblem("a".repeat(11))).toMatch(/at least 12/);
    expect(passwordProblem("a".repeat(12))).toBeNull();
    expect(passwordProblem("a".repeat(128))).toBeNull();
    expect(passwordProblem("a".repeat(129))).toMatch(/at most 128/);
    expect(passwordProblem("🦉".repeat(12))).toBeNull(); // 24 UTF-16 units, 12 characters
    expect(passwordProblem("🦉".repeat(11))).toMatch(/at least 12/);
    expect(passwordProblem(" ".repeat(12))).toMatch(/spaces/);
  });

  it("hashes with Argon2id, m ≥ 19456 KiB, t ≥ 2, p = 1, and verifies", async () => {
    const stored = await hashPassword("twelve chars!");
    const options = parseOptions(stored);
    expect(stored.startsWith("$argon2id$")).toBe(true);
    expect(options.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(options.timeCost).toBeGreaterThanOrEqual(2);
    expect(options.parallelism).toBe(1);
    expect(await verifyPassword(stored, "twelve chars!")).toBe(true);
    expect(await verifyPassword(stored, "twelve chars?")).toBe(false);
    expect(await verifyPassword("not a hash", "twelve chars!")).toBe(false);
    await expect(hashPassword("short")).rejects.toThrow(/at least 12/);
  });
});

describe("sign-in", () => {
  let db: Db;
  const ip = "203.0.113.7";
  const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

  beforeAll(async () => {
    db = await fixtureDb();
    await insertUser(db, "hr-alpha", "hr", ORG_A);
    await insertUser(db, "gone", "rse", ORG_A);
    await disableUser(db, "gone");
  });
  afterAll(() => db.close());

  it("signs in with the right password (case-insensitive username) and issues a new session", async () => {
    const result = await login(db, { username: " HR-Alpha ", password: PASSWORD, ip }, T0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect((await validateSessionToken(db, result.token, T0))?.user.username).toBe("hr-alpha");
    const again = await login(db, { username: "hr-alpha", password: PASSWORD, ip }, T0);
    expect(again.ok && again.token).not.toBe(result.token);
  });

  it("gives the same message, and does the same work, for an unknown user, a wrong password and a disabled account", async () => {
    // The work is counted, not timed (a timed test on a shared machine measures the neighbours):
    // every attempt runs exactly one Argon2id verification, against a hash with today's
    // parameters, so its cost does not tell whether the account exists.
    const attempt = async (username: string, password: string) => {
      verifyCalls.length = 0;
      const result = await login(db, { username, password, ip: null }, T0);
      return { result, hashes: verifyCalls.map((call) => call.hash) };
    };
    try {
      const unknown = await attempt("nobody-at-all", "whatever password");
      const wrong = await attempt("hr-alpha", "wrong password!!");
      const disabled = await attempt("gone", PASSWORD);
      for (const { result, hashes } of [unknown, wrong, disabled]) {
        expect(result).toEqual({ ok: false, reason: "invalid", message: LOGIN_FAILED_MESSAGE });
        expect(hashes).toHaveLength(1);
        const options = parseOptions(hashes[0]!);
        expect([options.algorithm, options.memoryCost, options.timeCost, options.parallelism]).toEqual([
          ARGON2_OPTIONS.algorithm,
          ARGON2_OPTIONS.memoryCost,
          ARGON2_OPTIONS.timeCost,
          ARGON2_OPTIONS.parallelism,
        ]);
      }
      // The unknown and the disabled account are checked against the same dummy hash; the wrong
      // password against the account's own.
      expect(unknown.hashes[0]).toBe(disabled.hashes[0]);
      expect(wrong.hashes[0]).not.toBe(unknown.hashes[0]);
      // And the dummy really is verified, not skipped: Argon2 returns "no" for it.
      expect(await realVerify(unknown.hashes[0]!, "whatever password")).toBe(false);
    } finally {
      // Clean the account's failures for the next test.
      await login(db, { username: "hr-alpha", password: PASSWORD, ip: null }, T0);
    }
  });

  it("throttles per account with growing delays, the same for unknown accounts, without checking the password", async () => {
    expect([4, 5, 6, 7, 8].map((n) => delayAfter(n, THROTTLE.account.free))).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(delayAfter(60, THROTTLE.account.free)).toBe(THROTTLE.maxDelayMs);

    for (const [k, username] of ["hr-alpha", "no-such-user"].entries()) {
      let now = T0 + (k + 1) * 3600_000;
      for (let i = 0; i < THROTTLE.account.free; i++) {
        const r = await login(db, { username, password: `wrong password ${i}`, ip: `198.51.100.${i}` }, now);
        expect(r.ok === false && r.reason).toBe("invalid");
      }
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        // Immediately again: refused, even with the right password, and the refusal is cheap.
        const refused = await login(db, { username, password: PASSWORD, ip: "192.0.2.1" }, now);
        expect(refused.ok === false && refused.reason).toBe("throttled");
        if (refused.ok || refused.reason !== "throttled") return;
        waits.push(refused.retryAfterSeconds);
        expect(refused.message).toMatch(/Too many failed attempts/);
        now += refused.retryAfterSeconds * 1000;
        const r = await login(db, { username, password: "still the wrong one", ip: "192.0.2.1" }, now);
        expect(r.ok === false && r.reason).toBe("invalid");
      }
      expect(waits).toEqual([1, 2, 4, 8]);
    }
    // After waiting, the right password works and clears the account's failures.
    const ok = await login(db, { username: "hr-alpha", password: PASSWORD, ip: "192.0.2.9" }, T0 + 7200_000);
    expect(ok.ok).toBe(true);
    const after = await login(db, { username: "hr-alpha", password: "wrong password 9", ip: "192.0.2.9" }, T0 + 7200_000);
    expect(after.ok === false && after.reason).toBe("invalid");
  });

  it("a burst of simultaneous wrong passwords gets no more password checks than the free failures", async () => {
    const now = T0 + 30 * 3600_000;
    await insertUser(db, "burst-target", "hr", ORG_A);
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => login(db, { username: "burst-target", password: `wrong guess number ${i}`, ip: `198.51.100.${i}` }, now)),
    );
    const reasons = results.map((r) => (r.ok ? "ok" : r.reason));
    expect(reasons.filter((r) => r === "invalid")).toHaveLength(THROTTLE.account.free);
    expect(reasons.filter((r) => r === "throttled")).toHaveLength(15 - THROTTLE.account.free);
    const [{ n }] = await db.all<{ n: number }>("select count(*) as n from login_failures where throttle_key = 'account:burst-target'");
    expect(n).toBe(THROTTLE.account.free);
    // Settled attempts hold no reservation: after the delay, exactly one more check is allowed.
    const later = await Promise.all([0, 1].map(() => login(db, { username: "burst-target", password: "wrong again", ip: null }, now + 1000)));
    expect(later.map((r) => (r.ok ? "ok" : r.reason)).sort()).toEqual(["invalid", "throttled"]);
    // The same race through the password change form.
    const userId = await insertUser(db, "burst-changer", "hr", ORG_A);
    const changes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => changeOwnPassword(db, { userId, currentPassword: `guess number ${i}`, newPassword: "whatever new one", ip: "192.0.2.77" }, now)),
    );
    const messages = changes.map((c) => (c.status === "rejected" ? String((c.reason as Error).message) : "changed"));
    expect(messages.filter((m) => /not correct/.test(m)), messages.join("; ")).toHaveLength(THROTTLE.account.free);
    expect(messages.filter((m) => /Too many/.test(m))).toHaveLength(10 - THROTTLE.account.free);
  });

  it("throttles per IP across accounts", async () => {
    const now = T0 + 10 * 3600_000;
    const attacker = "198.18.0.66";
    for (let i = 0; i < THROTTLE.ip.free; i++) {
      const r = await login(db, { username: `spray-${i}`, password: "whatever password", ip: attacker }, now);
      expect(r.ok === false && r.reason).toBe("invalid");
    }
    const refused = await login(db, { username: "hr-alpha", password: PASSWORD, ip: attacker }, now);
    expect(refused.ok === false && refused.reason).toBe("throttled");
    // Another address is not affected.
    const fine = await login(db, { username: "hr-alpha", password: PASSWORD, ip: "192.0.2.200" }, now);
    expect(fine.ok).toBe(true);
    expect(await count(db, "login_failures")).toBeGreaterThan(0);
  });

  it("changing one's own password needs the current one, applies the rules and ends every other session", async () => {
    const now = T0 + 20 * 3600_000;
    const userId = await insertUser(db, "changer", "sponsor", ORG_A);
    const first = await login(db, { username: "changer", password: PASSWORD, ip: "192.0.2.50" }, now);
    if (!first.ok) throw new Error(`login failed: ${first.message}`);
    const change = (currentPassword: string, newPassword: string, at = now) =>
      changeOwnPassword(db, { userId, currentPassword, newPassword, ip: "192.0.2.50" }, at);
    await expect(change("not the password", "a brand new password")).rejects.toThrow(UserError);
    await expect(change(PASSWORD, "too short")).rejects.toThrow(/at least 12/);
    const fresh = await change(PASSWORD, "a brand new password");
    expect(await validateSessionToken(db, first.token, now)).toBeNull();
    expect(await validateSessionToken(db, fresh.token, now)).not.toBeNull();
    const again = await login(db, { username: "changer", password: "a brand new password", ip: "192.0.2.50" }, now);
    expect(again.ok).toBe(true);
    // Guessing the current password through this form is throttled like signing in.
    for (let i = 0; i < 5; i++) await expect(change(`guess number ${i}`, "yet another password", now + 1000)).rejects.toThrow(/not correct/);
    await expect(change("a brand new password", "yet another password", now + 1000)).rejects.toThrow(/Too many/);
  });

  it("creates users only with valid rules: role, organization, unique username", async () => {
    await expect(createUser(db, { username: "x1-user", role: "boss", password: PASSWORD })).rejects.toThrow(/Unknown role/);
    await expect(createUser(db, { username: "x2-user", role: "hr", password: PASSWORD })).rejects.toThrow(/organization/);
    await expect(createUser(db, { username: "x3-user", role: "hr", orgId: "org-nope", password: PASSWORD })).rejects.toThrow(
      /Unknown organization/,
    );
    await expect(createUser(db, { username: "x4-user", role: "admin", orgId: ORG_A, password: PASSWORD })).rejects.toThrow(
      /admin/,
    );
    await expect(createUser(db, { username: "Hr-Alpha", role: "hr", orgId: ORG_A, password: PASSWORD })).rejects.toThrow(
      /already taken/,
    );
    await expect(createUser(db, { username: "a b", role: "hr", orgId: ORG_A, password: PASSWORD })).rejects.toThrow(/username/);
  });
});

describe("hash upgrades", () => {
  it("rehashes at sign-in a password stored with weaker Argon2 parameters", async () => {
    const { hash } = await import("@node-rs/argon2");
    const { needsRehash } = await import("../../analytics/auth/password.server.ts");
    const db = await fixtureDb();
    try {
      const weak = await hash(PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
      expect(needsRehash(weak)).toBe(true);
      await insertUser(db, "old-timer", "rse", ORG_A);
      await db.run("update users set password_hash = $h where username = 'old-timer'", { h: weak });
      expect((await login(db, { username: "old-timer", password: PASSWORD, ip: null })).ok).toBe(true);
      const [{ password_hash }] = await db.all<{ password_hash: string }>("select password_hash from users where username = 'old-timer'");
      expect(needsRehash(password_hash)).toBe(false);
      expect(parseOptions(password_hash).memoryCost).toBe(19_456);
    } finally {
      db.close();
    }
  });
});
