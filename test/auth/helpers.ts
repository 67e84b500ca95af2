import { hash } from "@node-rs/argon2";
import { request as httpRequest } from "node:http";
import { ARGON2_OPTIONS } from "../../analytics/auth/password.server.ts";
import type { Role } from "../../analytics/domain/roles.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";

/** Two organizations and three programs: one shared, one per organization. */
export const ORG_A = "org-alpha";
export const ORG_B = "org-beta";
export const PROGRAMS = {
  shared: { id: "prog-shared", orgs: [ORG_A, ORG_B] },
  onlyA: { id: "prog-alpha-only", orgs: [ORG_A] },
  onlyB: { id: "prog-beta-only", orgs: [ORG_B] },
} as const;

export const PASSWORD = "correct horse battery";

/** A fresh in-memory database with the schema and the fixture programs (tests only). */
export async function fixtureDb(): Promise<Db> {
  const db = await openDatabase(":memory:");
  await applySchema(db);
  for (const [orgId, name] of [
    [ORG_A, "Alpha Corp"],
    [ORG_B, "Beta SA"],
  ]) {
    await db.run("insert into organizations (org_id, name) values ($org_id, $name)", { org_id: orgId, name });
  }
  for (const program of Object.values(PROGRAMS)) {
    await db.run(
      "insert into programs (program_id, name, kind, start_date, end_date, currency) values ($id, $name, 'inter', date '2026-01-05', date '2026-09-05', 'EUR')",
      { id: program.id, name: `Program ${program.id}` },
    );
    let n = 0;
    for (const orgId of program.orgs) {
      for (const role of ["mentor", "mentee"]) {
        n += 1;
        await db.run(
          `insert into participants (program_id, participant_id, org_id, role, birth_year, joined_at)
           values ($program_id, $participant_id, $org_id, $role, 1980, date '2026-01-05')`,
          { program_id: program.id, participant_id: `${orgId}-p${n}`, org_id: orgId, role },
        );
      }
    }
  }
  return db;
}

let sharedHash: Promise<string> | undefined;

/** One Argon2id hash of PASSWORD, computed once per test file (hashing is CPU-heavy). */
export function passwordHash(): Promise<string> {
  sharedHash ??= hash(PASSWORD, ARGON2_OPTIONS);
  return sharedHash;
}

/** Inserts a user whose password is PASSWORD without hashing again. */
export async function insertUser(db: Db, username: string, role: Role, orgId: string | null): Promise<string> {
  const userId = `u_${username}`;
  await db.run(
    `insert into users (user_id, username, display_name, role, org_id, password_hash, created_at, password_changed_at)
     values ($user_id, $username, null, $role, $org_id, $hash, now(), now())`,
    { user_id: userId, username, role, org_id: orgId, hash: await passwordHash() },
  );
  return userId;
}

export async function count(db: Db, table: "sessions" | "users" | "login_failures" | "audit_log"): Promise<number> {
  const sql = {
    sessions: "select count(*) as n from sessions",
    users: "select count(*) as n from users",
    login_failures: "select count(*) as n from login_failures",
    audit_log: "select count(*) as n from audit_log",
  }[table];
  const [{ n }] = await db.all<{ n: number }>(sql);
  return n;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request through node:http to 127.0.0.1:`port`, because fetch does not let a test choose the Host header. */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string>, body = ""): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers: { "Content-Length": Buffer.byteLength(body), ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", fail);
    req.end(body);
  });
}
