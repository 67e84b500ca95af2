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
 * Attempts whose password is being checked right now, per database handle and throttling key.
 * They count as failures until they are settled, so that a burst of simultaneous attempts sees
 * each other: checking the throttle and reserving an attempt is one serialized step per key
 * (`withKeyLocks`), and the reservation lasts until the failure is in the database (or the
 * attempt succeeded). In memory is enough: the server is the only process that writes the file
 * (DuckDB allows one writer), and a reservation lost with the process is an attempt that never
 * got its answer.
 */
const pending = new WeakMap<Db, Map<string, number>>();
/** The tail of the queue of check-and-reserve steps, per database handle and throttling key. */
const queues = new WeakMap<Db, Map<string, Promise<void>>>();

function pendingOf(db: Db): Map<string, number> {
  let map = pending.get(db);
  if (!map) pending.set(db, (map = new Map()));
  return map;
}

/** Runs `fn` once no other step holds any of `keys` (taken in sorted order: no deadlock). */
async function withKeyLocks<T>(db: Db, keys: string[], fn: () => Promise<T>): Promise<T> {
  let map = queues.get(db);
  if (!map) queues.set(db, (map = new Map()));
  const tails = map;
  const releases: Array<() => void> = [];
  for (const key of [...new Set(keys)].sort()) {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((done) => (release = done));
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    releases.push(() => {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    });
    await previous;
  }
  try {
    return await fn();
  } finally {
    for (const release of releases.reverse()) release();
  }
}

async function waitMs(db: Db, keys: { account: string; ip: string }, now: number): Promise<number> {
  const rows = await db.all<CountRow>(loadSql("auth/login_failure_counts"), {
    account_key: keys.account,
    ip_key: keys.ip,
    since: now - THROTTLE.windowMs,
  });
  const inFlight = pendingOf(db);
  let wait = 0;
  for (const key of [keys.account, keys.ip]) {
    const row = rows.find((r) => r.throttle_key === key);
    const reserved = inFlight.get(key) ?? 0;
    const failures = (row?.failures ?? 0) + reserved;
    if (failures === 0) continue;
    // An attempt still being checked counts as a failure made now.
    const last = reserved > 0 ? Math.max(now, row?.last_failed_at_ms ?? now) : row!.last_failed_at_ms;
    const free = key.startsWith("ip:") ? THROTTLE.ip.free : THROTTLE.account.free;
    wait = Math.max(wait, last + delayAfter(failures, free) - now);
  }
  return wait;
}

/**
 * How long (ms) the caller must still wait before this username may be tried from this IP; 0
 * when an attempt is allowed now. The username is the one typed, known or not, so an unknown
 * user is throttled exactly like a real one. Attempts being checked right now count as failures.
 */
export async function retryAfterMs(db: Db, username: string, ip: string | null, now: number = Date.now()): Promise<number> {
  return waitMs(db, { account: accountKey(username), ip: ipKey(ip) }, now);
}

/** An attempt allowed by the throttle, reserved until it is settled. */
export interface Attempt {
  /** The password was wrong: records the failure (account and IP), then ends the reservation. */
  failed(): Promise<void>;
  /** The password was right: forgets the account's failures, then ends the reservation. */
  succeeded(): Promise<void>;
  /** Ends the reservation without recording anything (e.g. the check itself threw). Idempotent. */
  release(): void;
}

/**
 * The one way to try a password: checks the throttle and, when an attempt is allowed, reserves
 * it in the same serialized step, so that simultaneous attempts cannot all pass the check before
 * any failure is recorded. Returns the wait (ms) when refused. Settle the attempt with `failed()`
 * or `succeeded()`, and call `release()` in a `finally`.
 */
export async function reserveAttempt(
  db: Db,
  username: string,
  ip: string | null,
  now: number = Date.now(),
): Promise<{ ok: false; waitMs: number } | { ok: true; attempt: Attempt }> {
  const keys = { account: accountKey(username), ip: ipKey(ip) };
  return withKeyLocks(db, [keys.account, keys.ip], async () => {
    const wait = await waitMs(db, keys, now);
    if (wait > 0) return { ok: false as const, waitMs: wait };
    const inFlight = pendingOf(db);
    for (const key of [keys.account, keys.ip]) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const key of [keys.account, keys.ip]) {
        const left = (inFlight.get(key) ?? 1) - 1;
        if (left > 0) inFlight.set(key, left);
        else inFlight.delete(key);
      }
    };
    const attempt: Attempt = {
      async failed() {
        try {
          // Under the keys' locks too: a count must never run while this failure is being written.
          await withKeyLocks(db, [keys.account, keys.ip], () => recordFailure(db, username, ip, now));
        } finally {
          release();
        }
      },
      async succeeded() {
        try {
          await withKeyLocks(db, [keys.account, keys.ip], () => clearAccountFailures(db, username));
        } finally {
          release();
        }
      },
      release,
    };
    return { ok: true as const, attempt };
  });
}

/** Records one failure (account and IP) directly; `reserveAttempt` is the way for a password check. */
export async function recordFailure(db: Db, username: string, ip: string | null, now: number = Date.now()): Promise<void> {
  await db.run(loadSql("auth/login_failure_insert"), { throttle_key: accountKey(username), now });
  await db.run(loadSql("auth/login_failure_insert"), { throttle_key: ipKey(ip), now });
  await db.run(loadSql("auth/login_failures_prune"), { since: now - THROTTLE.windowMs });
}

/** Forgets an account's failures (successful sign-in, password reset). The IP's stay. */
export async function clearAccountFailures(db: Db, username: string): Promise<void> {
  await db.run(loadSql("auth/login_failures_clear"), { throttle_key: accountKey(username) });
}
