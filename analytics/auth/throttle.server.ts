import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";

// Growing delays after failed sign-ins (see docs/decisions/0005-sessions-and-roles.md).
// Per account: 5 free failures, then 1 s, 2 s, 4 s, … up to 15 min between attempts.
// Per IP address: 20 free failures (a shared office NAT), then the same doubling.
// Failures are forgotten after a day, and an account's after a successful sign-in.
export const THROTTLE = {
  account: { free: 5 },
  ip: { free: 20 },
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60 * 1000,
  windowMs: 24 * 60 * 60 * 1000,
} as const;

export function accountKey(username: string): string {
  return `account:${username}`;
}

export function ipKey(ip: string | null | undefined): string {
  return `ip:${ip || "unknown"}`;
}

/** The wait imposed after `failures` failures when `free` of them are tolerated. */
export function delayAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  const exponent = Math.min(failures - free, 30);
  return Math.min(THROTTLE.baseDelayMs * 2 ** exponent, THROTTLE.maxDelayMs);
}

interface CountRow {
  throttle_key: string;
  failures: number;
  last_failed_at_ms: number;
}

/**
 * How long (ms) the caller must still wait before this username may be tried from this IP; 0
 * when an attempt is allowed now. The username is the one typed, known or not, so an unknown
 * user is throttled exactly like a real one.
 */
export async function retryAfterMs(db: Db, username: string, ip: string | null, now: number = Date.now()): Promise<number> {
  const rows = await db.all<CountRow>(loadSql("auth/login_failure_counts"), {
    account_key: accountKey(username),
    ip_key: ipKey(ip),
    since: now - THROTTLE.windowMs,
  });
  let wait = 0;
  for (const row of rows) {
    const free = row.throttle_key.startsWith("ip:") ? THROTTLE.ip.free : THROTTLE.account.free;
    const until = row.last_failed_at_ms + delayAfter(row.failures, free);
    wait = Math.max(wait, until - now);
  }
  return wait;
}

export async function recordFailure(db: Db, username: string, ip: string | null, now: number = Date.now()): Promise<void> {
  await db.run(loadSql("auth/login_failure_insert"), { throttle_key: accountKey(username), now });
  await db.run(loadSql("auth/login_failure_insert"), { throttle_key: ipKey(ip), now });
  await db.run(loadSql("auth/login_failures_prune"), { since: now - THROTTLE.windowMs });
}

/** Forgets an account's failures (successful sign-in, password reset). The IP's stay. */
export async function clearAccountFailures(db: Db, username: string): Promise<void> {
  await db.run(loadSql("auth/login_failures_clear"), { throttle_key: accountKey(username) });
}
