import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema } from "../../analytics/db/database.server.ts";
import { openExclusive } from "../../analytics/ops/file-db.server.ts";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { insertUser, PASSWORD as FIXTURE_PASSWORD } from "./helpers.ts";
import { bodyText, leaksIn, readDemoProgram, spellings, type DemoProgramData, type Forbidden } from "./matrix-data.ts";

/*
 * The authorization matrix of issue 5: every route file of app/routes × every role (signed out,
 * admin, hr, rse, sponsor) × program (octave-demo, which the demo users' organization takes part
 * in, and large-demo, which it does not) → the expected status, and no forbidden content in any
 * body: for a sponsor, the other organizations' names and ids; for hr, the participant ids of
 * other organizations; for rse and sponsor, any participant id; for everyone but admin, nothing
 * of large-demo's organizations. One production server on a fresh demo database.
 *
 * A new route file without an entry in ROUTES fails "every route file has a matrix entry".
 * A case that exposes a real bug is marked in KNOWN_BUGS (it.fails): the assertion stays the
 * correct behaviour, so the case starts failing the day the route is fixed — then remove the mark.
 */

const ROLES = ["out", "admin", "hr", "rse", "sponsor"] as const;
type Role = (typeof ROLES)[number];
/**
 * Who makes the requests: the four demo accounts (hr, rse, sponsor of the demo organization),
 * and `hr-other`, an hr user of another organization of octave-demo created through the admin
 * page, so that "own/other organization" is also checked inside the shared program.
 */
const WHO = ["out", "admin", "hr", "hr-other", "rse", "sponsor"] as const;
type Who = (typeof WHO)[number];
const ROLE_OF: Record<Who, Role> = { out: "out", admin: "admin", hr: "hr", "hr-other": "hr", rse: "rse", sponsor: "sponsor" };
const HR_OTHER = "matrix-hr-other";
const USERNAME: Record<Exclude<Role, "out">, string> = { admin: "demo-admin", hr: "demo-hr", rse: "demo-rse", sponsor: "demo-sponsor" };
const PASSWORD: Record<Exclude<Role, "out">, string> = {
  admin: "binome-demo-admin",
  hr: "binome-demo-hr",
  rse: "binome-demo-rse",
  sponsor: "binome-demo-sponsor",
};

const OWN = "octave-demo";
const OTHER = "large-demo";
type Program = typeof OWN | typeof OTHER;

/** An expected answer: a status, or a redirect with its Location. */
type Expected = number | { redirect: string };

interface Case {
  method: "GET" | "POST";
  /**
   * `{job}`, `{hrjob}` and `{participant}` are replaced once the server runs (a real simulation
   * job of the admin, one of the demo hr user, a participant of the demo org).
   */
  path: string;
  form?: Record<string, string | string[]>;
  /** Sign in a fresh session for this case (logout ends it). */
  freshSession?: boolean;
  /** null: not applicable for that role. `who` tells the two hr users apart (a job's owner). */
  expect: (role: Role, program: Program | null, who: Who) => Expected | null;
}

interface RouteEntry {
  /** The route takes a program id: its cases run for octave-demo and large-demo. */
  program: boolean;
  cases: (program: Program | null) => Case[];
}

const login = (path: string): Expected => ({ redirect: path === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: path })}` });

/** A page anyone signed in may open. */
const page = (path: string) => (role: Role): Expected => (role === "out" ? login(path) : 200);
/** An operator page: 403 page for other roles. */
const adminPage = (path: string, adminStatus = 200) => (role: Role): Expected =>
  role === "out" ? login(path) : role === "admin" ? adminStatus : 403;
/** A page about a program: visible to admin, and to the others only for their organization's program; 404 otherwise. */
const programPage = (path: string, status = 200) => (role: Role, program: Program | null): Expected =>
  role === "out" ? login(path) : role === "admin" || program === OWN ? status : 404;
/** An API route about a program: 401 signed out, 404 outside the scope, then the role's rule. */
const programApi = (rule: (role: Role) => number) => (role: Role, program: Program | null): Expected =>
  role === "out" ? 401 : role !== "admin" && program !== OWN ? 404 : rule(role);
const individuals = (ok: number) => (role: Role) => (role === "admin" || role === "hr" ? ok : 403);
/**
 * A simulation job of octave-demo: it exists only for its owner and admin (decision 0012); to
 * anyone else, and under another program's URL, it is unknown (404, never 403).
 */
const jobOwner = { "{job}": "admin", "{hrjob}": "hr" } as const satisfies Record<string, Who>;
type JobRef = keyof typeof jobOwner;
const readsJob = (ref: JobRef, program: Program | null, who: Who) => program === OWN && (who === "admin" || who === jobOwner[ref]);

const HARMLESS = { intent: "matrix-no-such-intent" };

const ROUTES: Record<string, RouteEntry> = {
  "_index.tsx": { program: false, cases: () => [{ method: "GET", path: "/", expect: page("/") }] },
  "account.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/account", expect: page("/account") },
      // Two different new passwords: refused before anything is checked or changed.
      {
        method: "POST",
        path: "/account",
        form: { currentPassword: "not the password", newPassword: "matrix-new-password-1", confirmPassword: "matrix-new-password-2" },
        expect: (role) => (role === "out" ? login("/account") : 400),
      },
    ],
  },
  "admin.users.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/admin/users", expect: adminPage("/admin/users") },
      { method: "POST", path: "/admin/users", form: HARMLESS, expect: adminPage("/admin/users", 400) },
    ],
  },
  "admin.imports.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/admin/imports", expect: adminPage("/admin/imports") },
      { method: "POST", path: "/admin/imports", form: HARMLESS, expect: adminPage("/admin/imports", 400) },
    ],
  },
  "admin.programs.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/admin/programs", expect: adminPage("/admin/programs") },
      { method: "POST", path: "/admin/programs", form: HARMLESS, expect: adminPage("/admin/programs", 400) },
    ],
  },
  "admin.erasure.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/admin/erasure", expect: adminPage("/admin/erasure") },
      { method: "POST", path: "/admin/erasure", form: HARMLESS, expect: adminPage("/admin/erasure", 400) },
    ],
  },
  "admin.backups.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/admin/backups", expect: adminPage("/admin/backups") },
      { method: "POST", path: "/admin/backups", form: HARMLESS, expect: adminPage("/admin/backups", 400) },
    ],
  },
  "api.admin.imports.$jobId.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/api/admin/imports/matrix-no-such-job", expect: (role) => (role === "out" ? 401 : role === "admin" ? 404 : 403) },
    ],
  },
  "api.admin.participant-export.tsx": {
    program: false,
    cases: () => [
      {
        method: "GET",
        path: `/api/admin/participant-export?programId=${OWN}&participantId={participant}`,
        expect: (role) => (role === "out" ? 401 : role === "admin" ? 200 : 403),
      },
    ],
  },
  // Any unmatched URL: a 404 page for everyone, inside a program's prefix too (the root loader runs: the header keeps the session).
  "$.tsx": {
    program: true,
    cases: (program) => [
      { method: "GET", path: "/no-such-page", expect: () => 404 },
      { method: "GET", path: `/programs/${program}/no-such-tab`, expect: () => 404 },
    ],
  },
  "healthz.tsx": { program: false, cases: () => [{ method: "GET", path: "/healthz", expect: () => 200 }] },
  "lang.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/lang", expect: () => ({ redirect: "/" }) },
      { method: "POST", path: "/lang", form: { lang: "en", redirectTo: "/" }, expect: () => ({ redirect: "/" }) },
    ],
  },
  "login.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/login", expect: (role) => (role === "out" ? 200 : { redirect: "/" }) },
      // A failed sign-in: signed out only (repeated failures would throttle the test's IP).
      {
        method: "POST",
        path: "/login",
        form: { username: "matrix-nobody", password: "not the password", redirectTo: "/" },
        expect: (role) => (role === "out" ? 401 : null),
      },
    ],
  },
  "logout.tsx": {
    program: false,
    cases: () => [
      { method: "GET", path: "/logout", expect: () => ({ redirect: "/" }) },
      { method: "POST", path: "/logout", form: {}, freshSession: true, expect: () => ({ redirect: "/login" }) },
    ],
  },
  // The layout of every program page: its loader runs under each of them; requested at the index URL.
  "programs.$programId.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}`, expect: programPage(`/programs/${p}`) }],
  },
  "programs.$programId._index.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/`, expect: programPage(`/programs/${p}/`) }],
  },
  "programs.$programId.quality.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/quality`, expect: programPage(`/programs/${p}/quality`) }],
  },
  "programs.$programId.topics.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/topics`, expect: programPage(`/programs/${p}/topics`) }],
  },
  "programs.$programId.generations.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/generations`, expect: programPage(`/programs/${p}/generations`) }],
  },
  "programs.$programId.costs.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/costs`, expect: programPage(`/programs/${p}/costs`) }],
  },
  "programs.$programId.impact.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/impact`, expect: programPage(`/programs/${p}/impact`) }],
  },
  "programs.$programId.editions.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/editions`, expect: programPage(`/programs/${p}/editions`) }],
  },
  "programs.$programId.print.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/print`, expect: programPage(`/programs/${p}/print`) }],
  },
  // Individual pairs (issue 14, item 3): admin and hr; 403 for rse and sponsor, 404 outside the scope.
  "programs.$programId.attention.tsx": {
    program: true,
    cases: (p) => [
      {
        method: "GET",
        path: `/programs/${p}/attention`,
        expect: (role, program) => (role === "out" ? login(`/programs/${p}/attention`) : role !== "admin" && program !== OWN ? 404 : individuals(200)(role)),
      },
    ],
  },
  "programs.$programId.attention[.]csv.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/programs/${p}/attention.csv`, expect: programApi(individuals(200)) }],
  },
  "programs.$programId.simulations.tsx": {
    program: true,
    cases: (p) => [
      { method: "GET", path: `/programs/${p}/simulations`, expect: programPage(`/programs/${p}/simulations`) },
      // The finished demo jobs (of octave-demo, the admin's and hr's), with their pairs inspected:
      // the owner and admin only; to anyone else the job does not exist (404, the page with a notice).
      ...(["{job}", "{hrjob}"] as const).map((ref): Case => {
        const path = `/programs/${p}/simulations?job=${ref}&inspect=optimal`;
        return { method: "GET", path, expect: (role, program, who) => (role === "out" ? login(path) : readsJob(ref, program, who) ? 200 : 404) };
      }),
      // An unknown intent changes nothing; only admin and hr start or keep simulations (decision 0012).
      {
        method: "POST",
        path: `/programs/${p}/simulations`,
        form: HARMLESS,
        expect: (role, program) =>
          role === "out" ? login(`/programs/${p}/simulations`) : role !== "admin" && program !== OWN ? 404 : role === "admin" || role === "hr" ? 200 : 403,
      },
    ],
  },
  "api.programs.$programId.report[.]json.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/api/programs/${p}/report.json`, expect: programApi(() => 200) }],
  },
  "api.programs.$programId.pairs[.]arrow.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/api/programs/${p}/pairs.arrow`, expect: programApi(individuals(200)) }],
  },
  "api.programs.$programId.early-warning[.]json.tsx": {
    program: true,
    cases: (p) => [{ method: "GET", path: `/api/programs/${p}/early-warning.json`, expect: programApi(individuals(200)) }],
  },
  "api.programs.$programId.simulations.jobs.$jobId.tsx": {
    program: true,
    // The jobs belong to octave-demo: under large-demo they do not exist (404), whoever asks.
    cases: (p) =>
      (["{job}", "{hrjob}"] as const).map((ref) => ({
        method: "GET",
        path: `/api/programs/${p}/simulations/jobs/${ref}`,
        expect: (role, program, who) => programApi(() => (readsJob(ref, program, who) ? 200 : 404))(role, program),
      })),
  },
  "api.programs.$programId.simulations.jobs.$jobId.pairs[.]csv.tsx": {
    program: true,
    // Individuals: 403 for rse and sponsor whatever the job; for admin and hr, the owner's job only.
    cases: (p) =>
      (["{job}", "{hrjob}"] as const).map((ref) => ({
        method: "GET",
        path: `/api/programs/${p}/simulations/jobs/${ref}/pairs.csv?strategy=optimal`,
        expect: (role, program, who) => programApi(individuals(readsJob(ref, program, who) ? 200 : 404))(role, program),
      })),
  },
};

/**
 * Real bugs found by this matrix (the routes belong to others: reported, not fixed here).
 * Key: `${role} ${method} ${path}` with the placeholders as written in ROUTES.
 */
const KNOWN_BUGS: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------

const routeFiles = readdirSync(resolve("app/routes")).filter((f) => /\.(tsx?|jsx?)$/.test(f)).sort();

let dir = "";
let server: RunningServer;
const cookies = new Map<Who, string | undefined>([["out", undefined]]);
const forbidden = new Map<Who, Forbidden>();
let hrOtherPassword = "";
/** Per signed-in user: an organization of octave-demo that is not theirs (for the URL filter cases). */
const foreignOrg = new Map<Who, string>();
let jobId = "";
let hrJobId = "";
let participant = "";
let demoOrgName = "";
/** A new cohort (no labelled pairs) with the demo organization: its model learns from octave-demo and large-demo. */
const NEW_COHORT = "matrix-new-cohort";
let newCohortRun = "";
/** What a refused second start of the same user answered (status, Retry-After, message). */
let secondStart: { status: number; retryAfter: string | null; body: string } | null = null;

/** A case's path with its placeholders replaced. */
const fill = (s: string) =>
  s
    .replaceAll("{job}", jobId)
    .replaceAll("%7Bjob%7D", jobId)
    .replaceAll("{hrjob}", hrJobId)
    .replaceAll("%7Bhrjob%7D", hrJobId)
    .replaceAll("{participant}", participant);
/** What beforeAll learnt about the demo (the (f) case below reuses it). */
let demo: { own: DemoProgramData; other: DemoProgramData; demoOrg: string; otherOrg: string };

function request(method: "GET" | "POST", path: string, options: { cookie?: string; form?: Record<string, string | string[]>; origin?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.Cookie = options.cookie;
  let body: URLSearchParams | undefined;
  if (method === "POST") {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (options.origin !== null) headers.Origin = options.origin ?? server.origin;
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form ?? {})) for (const value of [v].flat()) body.append(k, value);
  }
  return fetch(`${server.url}${path}`, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(30_000) });
}

async function signIn(who: Exclude<Who, "out">): Promise<string> {
  const [username, password] = who === "hr-other" ? [HR_OTHER, hrOtherPassword] : [USERNAME[who], PASSWORD[who]];
  const response = await request("POST", "/login", { form: { username, password, redirectTo: "/" } });
  expect(response.status, `sign in ${who}`).toBe(302);
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
}

function buildForbidden(own: DemoProgramData, other: DemoProgramData, demoOrg: string, otherOrg: string) {
  const otherProgram: string[] = [other.name, ...other.organizations.flatMap((o) => [o.orgId, o.name])].flatMap(spellings);
  const ownOtherOrgs = own.organizations.filter((o) => o.orgId !== demoOrg);
  const allIds = new Set([...own.participants.keys(), ...other.participants.keys()]);
  const idsOutside = (org: string) => new Set([...allIds].filter((id) => own.participants.get(id) !== org || other.participants.has(id)));
  const everyOrg = [...own.organizations, ...other.organizations].flatMap((o) => [o.orgId, o.name]).flatMap(spellings);
  forbidden.set("out", { strings: [...everyOrg, own.name, other.name].flatMap(spellings), participantIds: allIds });
  forbidden.set("admin", { strings: [], participantIds: new Set() });
  forbidden.set("hr", { strings: otherProgram, participantIds: idsOutside(demoOrg) });
  forbidden.set("hr-other", { strings: otherProgram, participantIds: idsOutside(otherOrg) });
  forbidden.set("rse", { strings: otherProgram, participantIds: allIds });
  forbidden.set("sponsor", {
    strings: [...otherProgram, ...ownOtherOrgs.flatMap((o) => [o.orgId, o.name]).flatMap(spellings)],
    participantIds: allIds,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-matrix-"));
  server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
  const demoOrg = /belong to ([A-Za-z0-9_-]+)/.exec(server.output())?.[1];
  expect(demoOrg, "the demo users' organization, from the start-up log").toBeTruthy();
  const own = readDemoProgram(join(dir, "demo"), OWN);
  const other = readDemoProgram(join(dir, "demo"), OTHER);
  expect(own.organizations.length).toBeGreaterThan(2);
  expect(own.organizations.map((o) => o.orgId)).toContain(demoOrg);
  expect(other.organizations.map((o) => o.orgId)).not.toContain(demoOrg);
  expect(own.participants.size).toBeGreaterThan(20);
  // The ids must be recognisable tokens for the scan (P + digits), else the scan would prove nothing.
  for (const id of [...own.participants.keys(), ...other.participants.keys()]) expect(id).toMatch(/^P\d{3,4}$/);
  // The other organization of octave-demo with the most participants: its hr user is created below.
  const sizes = new Map<string, number>();
  for (const org of own.participants.values()) if (org !== demoOrg) sizes.set(org, (sizes.get(org) ?? 0) + 1);
  const otherOrg = [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  buildForbidden(own, other, demoOrg!, otherOrg);
  demo = { own, other, demoOrg: demoOrg!, otherOrg };
  for (const who of WHO) foreignOrg.set(who, who === "hr-other" ? demoOrg! : otherOrg);
  participant = [...own.participants].find(([, org]) => org === demoOrg)![0];

  for (const who of ["admin", "hr", "rse", "sponsor"] as const) cookies.set(who, await signIn(who));
  const added = await request("POST", "/admin/users", {
    cookie: cookies.get("admin"),
    form: { intent: "add", username: HR_OTHER, role: "hr", orgId: otherOrg },
  });
  const addedPage = await added.text();
  expect(added.status, addedPage.slice(0, 500)).toBe(200);
  hrOtherPassword = /<span class="secret">([^<]+)<\/span>/.exec(addedPage)?.[1] ?? "";
  expect(hrOtherPassword, "the new user's password, shown once on the admin page").toMatch(/^\S{12,}$/);
  cookies.set("hr-other", await signIn("hr-other"));

  demoOrgName = own.organizations.find((o) => o.orgId === demoOrg)!.name;

  // One small simulation of octave-demo by admin and one by hr, so the job routes answer with real pairs.
  jobId = await startJob("admin", OWN, { strategy: ["recorded", "optimal"], runs: "1", bootstrap: "10" });
  hrJobId = await startJob("hr", OWN, { strategy: ["recorded", "optimal", "random"], runs: "40", bootstrap: "200" });
  // The same user again while the first runs: refused, with a message and Retry-After.
  const again = await request("POST", `/programs/${OWN}/simulations`, { cookie: cookies.get("hr"), form: { intent: "start", strategy: "optimal", runs: "1" } });
  secondStart = { status: again.status, retryAfter: again.headers.get("retry-after"), body: await again.text() };
  await finishJob("admin", OWN, jobId);
  await finishJob("hr", OWN, hrJobId);

  // A new cohort of the demo organization, imported on the admin's import page; admin runs and keeps a simulation of it.
  await importNewCohort(join(dir, NEW_COHORT), demoOrg!);
  const ncJob = await startJob("admin", NEW_COHORT, { strategy: ["optimal"], runs: "1", bootstrap: "10" });
  await finishJob("admin", NEW_COHORT, ncJob);
  const keep = await request("POST", `/programs/${NEW_COHORT}/simulations`, { cookie: cookies.get("admin"), form: { intent: "keep", job: ncJob } });
  newCohortRun = new URL(keep.headers.get("location") ?? "/", server.url).searchParams.get("run") ?? "";
  expect(newCohortRun, `keep: ${keep.status}`).toMatch(/^\d+$/);
}, 240_000);

async function startJob(who: "admin" | "hr", program: string, form: Record<string, string | string[]>): Promise<string> {
  const start = await request("POST", `/programs/${program}/simulations`, { cookie: cookies.get(who), form: { intent: "start", ...form } });
  expect(start.status, await start.clone().text()).toBe(302);
  const id = new URL(start.headers.get("location")!, server.url).searchParams.get("job") ?? "";
  expect(id).toBeTruthy();
  return id;
}

async function finishJob(who: "admin" | "hr", program: string, id: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = (await (await request("GET", `/api/programs/${program}/simulations/jobs/${id}`, { cookie: cookies.get(who) })).json()) as { status: string; error?: string };
    if (status.status === "done") return;
    if (status.status === "failed" || Date.now() > deadline) throw new Error(`the demo simulation did not finish: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Writes a new cohort export (no pairs) and imports it as the admin does: upload, then confirm. */
async function importNewCohort(folder: string, org: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "programs.csv"), `program_id,name,kind,start_date,end_date,currency\n${NEW_COHORT},Matrix cohort 2027,inter,2027-01-10,2027-12-20,EUR\n`);
  writeFileSync(join(folder, "organizations.csv"), `org_id,name,sector\n${org},"${demoOrgName.replace(/"/g, '""')}",Services\nMATRIX-NC,Matrix Nouvelle,Industrie\n`);
  writeFileSync(join(folder, "topics.csv"), `topic_id,program_id,name,category\nT1,${NEW_COHORT},Onboarding,onboarding\nT2,${NEW_COHORT},Strategy,strategy\n`);
  const lines = ["participant_id,program_id,org_id,role,birth_year,gender,job_level,city,languages,topics,joined_at,trained_at"];
  // Ids that are not participant-id tokens (P + digits), so the scans stay about the demo programs.
  for (let k = 0; k < 10; k++) lines.push(`NCM${k + 1},${NEW_COHORT},${k % 2 ? org : "MATRIX-NC"},mentor,${1965 + ((k * 7) % 25)},F,${3 + (k % 3)},Lyon,fr,T${1 + (k % 2)},2026-12-01,`);
  for (let k = 0; k < 12; k++) lines.push(`NCE${k + 1},${NEW_COHORT},${k % 2 ? "MATRIX-NC" : org},mentee,${1988 + ((k * 5) % 16)},M,${1 + (k % 3)},Paris,fr,T${1 + (k % 2)},2026-12-02,`);
  writeFileSync(join(folder, "participants.csv"), lines.join("\n") + "\n");
  writeFileSync(join(folder, "pairs.csv"), "pair_id,program_id,mentor_id,mentee_id,matched_at,ended_at,status,end_reason,match_score,reverse_since\n");
  const cookie = cookies.get("admin")!;
  const form = new FormData();
  for (const name of readdirSync(folder).sort()) form.append("files", new Blob([readFileSync(join(folder, name))]), name);
  const upload = await fetch(`${server.url}/admin/imports`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: server.origin }, body: form });
  const html = await upload.text();
  const batchId = /name="batchId" value="([0-9a-f]{32})"/.exec(html)?.[1];
  expect(upload.status === 200 && batchId, `upload of the new cohort: ${upload.status} ${html.slice(0, 300)}`).toBeTruthy();
  const confirm = await request("POST", "/admin/imports", { cookie, form: { batchId: batchId!, intent: "confirm" } });
  const importJob = /[?&]job=([0-9a-f]+)/.exec(confirm.headers.get("location") ?? "")?.[1];
  expect(importJob, `confirm: ${confirm.status}`).toBeTruthy();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const job = (await (await request("GET", `/api/admin/imports/${importJob}`, { cookie })).json()) as { state: string; error: string | null };
    if (job.state === "done") return;
    if (job.state === "failed" || Date.now() > deadline) throw new Error(`the new cohort's import did not finish: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("every route file has a matrix entry (add one to ROUTES in test/auth/matrix.test.ts for a new route)", () => {
  const missing = routeFiles.filter((f) => !(f in ROUTES));
  expect(missing, `add these routes to ROUTES in test/auth/matrix.test.ts: ${missing.join(", ")}`).toEqual([]);
  const stale = Object.keys(ROUTES).filter((f) => !routeFiles.includes(f));
  expect(stale, `these ROUTES entries name no file of app/routes: ${stale.join(", ")}`).toEqual([]);
});

for (const file of routeFiles) {
  const entry = ROUTES[file];
  if (!entry) continue;
  describe(file, () => {
    const programs: Array<Program | null> = entry.program ? [OWN, OTHER] : [null];
    for (const program of programs) {
      for (const c of entry.cases(program)) {
        for (const role of WHO) {
          const expected = c.expect(ROLE_OF[role], program, role);
          if (expected === null) continue;
          const key = `${role} ${c.method} ${c.path}`;
          const bug = KNOWN_BUGS[key];
          const title = `${key} → ${typeof expected === "number" ? expected : `302 ${expected.redirect}`}${bug ? ` [KNOWN BUG: ${bug}]` : ""}`;
          (bug ? it.fails : it)(title, async () => {
            const path = fill(c.path);
            let cookie = cookies.get(role);
            if (c.freshSession && role !== "out") cookie = await signIn(role);
            const response = await request(c.method, path, { cookie, form: c.form });
            const bytes = new Uint8Array(await response.arrayBuffer());
            const body = bodyText(bytes, response.headers.get("content-type"));
            const where = `${role} ${c.method} ${path}`;
            if (process.env.MATRIX_DEBUG && where.includes(process.env.MATRIX_DEBUG)) console.log(where, response.status, body.slice(0, 3000));
            if (typeof expected === "number") {
              expect(response.status, `${where}: ${body.slice(0, 300)}`).toBe(expected);
            } else {
              expect(response.status, where).toBe(302);
              expect(response.headers.get("location"), where).toBe(fill(expected.redirect));
            }
            expect(response.status, `${where} must never be a server error`).toBeLessThan(500);
            expect(leaksIn(body, forbidden.get(role)!), `${where} shows what ${role} may not see`).toEqual([]);
          });
        }
      }
    }
  });
}

it("the scan finds what it looks for (admin sees every organization and participant ids)", async () => {
  const cookie = cookies.get("admin");
  const overview = await (await request("GET", `/programs/${OWN}`, { cookie })).text();
  const arrow = await request("GET", `/api/programs/${OWN}/pairs.arrow`, { cookie });
  const pairs = bodyText(new Uint8Array(await arrow.arrayBuffer()), arrow.headers.get("content-type"));
  const csv = await (await request("GET", `/api/programs/${OWN}/simulations/jobs/${jobId}/pairs.csv?strategy=optimal`, { cookie })).text();
  // The sponsor's forbidden organizations are on the admin's overview; participant ids in the admin's downloads.
  expect(leaksIn(overview, forbidden.get("sponsor")!).length).toBeGreaterThan(0);
  expect(leaksIn(pairs, forbidden.get("rse")!).length).toBeGreaterThan(10);
  expect(leaksIn(csv, forbidden.get("rse")!).length).toBeGreaterThan(10);
  expect(leaksIn(pairs, forbidden.get("hr")!).length).toBeGreaterThan(0);
});

describe("URL filters grant nothing: ?org= another organization of octave-demo", () => {
  // The program routes read as GET without a query, with a filter on an organization that is not the user's.
  const reads = Object.entries(ROUTES)
    .filter(([, entry]) => entry.program)
    .flatMap(([file, entry]) => entry.cases(OWN).filter((c) => c.method === "GET" && !c.path.includes("?")).map((c) => ({ file, c })));
  for (const { file, c } of reads) {
    for (const who of ["hr", "hr-other", "rse", "sponsor"] as const) {
      const expected = c.expect(ROLE_OF[who], OWN, who) as number;
      it(`${file}: ${who} GET ${c.path}?org={another org} → ${expected}, nothing more`, async () => {
        const org = foreignOrg.get(who)!;
        const path = `${fill(c.path)}?org=${encodeURIComponent(org)}`;
        const response = await request("GET", path, { cookie: cookies.get(who) });
        const body = bodyText(new Uint8Array(await response.arrayBuffer()), response.headers.get("content-type"));
        expect(response.status, `${who} GET ${path}`).toBe(expected);
        // The id typed in the URL may be echoed back (a notice); the organization's name and people may not.
        const rules = forbidden.get(who)!;
        const scan = { strings: rules.strings.filter((s) => s !== org), participantIds: rules.participantIds };
        expect(leaksIn(body, scan), `${who} GET ${path} shows what ${who} may not see`).toEqual([]);
      });
    }
  }
});

describe("CSRF: every action refuses a POST without our Origin", () => {
  const actions = Object.entries(ROUTES).flatMap(([file, entry]) =>
    (entry.program ? [OWN] : [null]).flatMap((p) => entry.cases(p as Program | null).filter((c) => c.method === "POST").map((c) => ({ file, c }))),
  );
  for (const { file, c } of actions) {
    it(`${file}: POST ${c.path} without Origin, and from another site → 403`, async () => {
      const cookie = c.path === "/login" ? undefined : cookies.get("admin");
      for (const origin of [null, "http://evil.example"]) {
        const response = await request("POST", fill(c.path), { cookie, form: c.form, origin });
        expect(response.status, `${origin}`).toBe(403);
      }
      // The admin session is still alive (a refused logout ended nothing).
      if (cookie) expect((await request("GET", "/", { cookie })).status).toBe(200);
    });
  }
});

describe("simulation jobs: one running per user", () => {
  it("hr's second start while its first runs → 429 with Retry-After and a message naming the limit", () => {
    expect(secondStart?.status, secondStart?.body.slice(0, 300)).toBe(429);
    expect(secondStart?.retryAfter).toBe("30");
    expect(secondStart?.body).toContain("You already have a simulation running: wait for it to finish");
  });
});

describe("model provenance (issue 11 e): a kept run of a new cohort, learned from octave-demo and large-demo", () => {
  const path = () => `/programs/${NEW_COHORT}/simulations?run=${newCohortRun}`;
  // The page and its loader data (single fetch: `.data`).
  const bodies = async (who: Who) => {
    const cookie = cookies.get(who);
    const html = await request("GET", path(), { cookie });
    const data = await request("GET", path().replace("/simulations?", "/simulations.data?"), { cookie });
    expect(html.status, `${who} GET ${path()}`).toBe(200);
    expect(data.status, `${who} GET .data`).toBe(200);
    return { html: await html.text(), data: await data.text() };
  };

  it("admin: both programs by id, with the counts of labelled pairs (the scan finds what it looks for)", async () => {
    const { html, data } = await bodies("admin");
    for (const body of [html, data]) expect(body).toContain(OTHER);
    expect(html).toContain("Outcome model: fitted on");
  });

  for (const who of ["hr", "rse", "sponsor"] as const) {
    it(`${who}: names octave-demo only, "1 other program" for large-demo, and no counts of its labelled pairs`, async () => {
      const { html, data } = await bodies(who);
      for (const body of [html, data]) {
        expect(body, `${who}: large-demo's id`).not.toContain(OTHER);
        expect(leaksIn(body, forbidden.get(who)!), `${who} GET ${path()}`).toEqual([]);
      }
      expect(html).toContain(`Learned from: ${OWN} and 1 other program you cannot open.`);
      expect(html).toContain("Its counts of labelled pairs are not shown");
      expect(html).not.toContain("Outcome model: fitted on");
    });
  }
});

/*
 * Issue 11 (f): an organization that an older Binôme imported as `*` — which was also the
 * internal value for "every organization" — and an hr account of it. The file is changed as
 * the old import would have left it (direct SQL, schema version 1), then the server starts
 * again on it (the start-up migration renames the id, decision 0014). That hr user may see
 * the individuals of its own organization only, on every individual-level view.
 */
describe("(f) an hr user of an organization once imported as `*`", () => {
  const HR_STAR = "matrix-hr-star";
  let cookie = "";
  let starJob = "";
  let rules: Forbidden;

  beforeAll(async () => {
    const { own, other, demoOrg, otherOrg } = demo;
    // The smallest other organization of octave-demo with at least two people becomes `*`.
    const sizes = new Map<string, number>();
    for (const org of own.participants.values()) if (org !== demoOrg && org !== otherOrg) sizes.set(org, (sizes.get(org) ?? 0) + 1);
    const starWas = [...sizes].filter(([, n]) => n >= 2).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0][0];
    const path = join(dir, "binome.duckdb");
    await server.stop();
    const handle = await openExclusive(path);
    try {
      await applySchema(handle.db);
      for (const table of ["organizations", "participants", "costs"]) await handle.db.run(`update ${table} set org_id = '*' where org_id = $org`, { org: starWas });
      await insertUser(handle.db, HR_STAR, "hr", "*");
      await handle.db.run("update schema_meta set schema_version = 1");
    } finally {
      handle.close();
    }
    server = await startServer({ BINOME_DB: path, BINOME_DEMO: "1" });
    const signedIn = await request("POST", "/login", { form: { username: HR_STAR, password: FIXTURE_PASSWORD, redirectTo: "/" } });
    expect(signedIn.status, "sign in the hr user of the old `*` organization").toBe(302);
    cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0];
    const otherProgram = [other.name, ...other.organizations.flatMap((o) => [o.orgId, o.name])].flatMap(spellings);
    const outside = new Set([...own.participants].filter(([, org]) => org !== starWas).map(([id]) => id));
    for (const id of other.participants.keys()) outside.add(id);
    rules = { strings: otherProgram, participantIds: outside };
    // Its own simulation of octave-demo (hr may run one), to read the pairs as that user.
    const start = await request("POST", `/programs/${OWN}/simulations`, { cookie, form: { intent: "start", strategy: ["recorded", "optimal"], runs: "1", bootstrap: "10" } });
    expect(start.status, await start.clone().text()).toBe(302);
    starJob = new URL(start.headers.get("location")!, server.url).searchParams.get("job") ?? "";
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = (await (await request("GET", `/api/programs/${OWN}/simulations/jobs/${starJob}`, { cookie })).json()) as { status: string };
      if (status.status === "done") break;
      if (status.status === "failed" || Date.now() > deadline) throw new Error(`the simulation did not finish: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 150_000);

  const views = [
    `/programs/${OWN}/quality`,
    `/api/programs/${OWN}/pairs.arrow`,
    `/api/programs/${OWN}/early-warning.json`,
    `/programs/${OWN}/simulations?job={job}&inspect=optimal`,
    `/api/programs/${OWN}/simulations/jobs/{job}/pairs.csv?strategy=optimal`,
  ];
  for (const view of views) {
    it(`hr of the old \`*\` organization GET ${view} → 200, its own organization's people only`, async () => {
      const response = await request("GET", view.replaceAll("{job}", starJob), { cookie });
      const body = bodyText(new Uint8Array(await response.arrayBuffer()), response.headers.get("content-type"));
      expect(response.status, body.slice(0, 300)).toBe(200);
      expect(leaksIn(body, rules), `${view} shows other organizations' people`).toEqual([]);
    });
  }

  it("hr of the old `*` organization still sees its own people, and not large-demo", async () => {
    const arrow = await request("GET", `/api/programs/${OWN}/pairs.arrow`, { cookie });
    const rows = JSON.parse(bodyText(new Uint8Array(await arrow.arrayBuffer()), arrow.headers.get("content-type"))) as Array<{ mentor_id: string | null; mentee_id: string | null }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.mentor_id !== null || r.mentee_id !== null)).toBe(true);
    expect((await request("GET", `/programs/${OTHER}/quality`, { cookie })).status).toBe(404);
  });
});
