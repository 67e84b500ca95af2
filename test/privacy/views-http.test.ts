// The privacy issue's attacks (a)–(d), replayed as a partner company's users would: through the
// pages' loader data, the report JSON and the CSV/Arrow downloads of a production server on the
// demo database (octave-demo: six companies, fifty pairs, all matched in October 2025).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meanRevealsHiddenBars } from "../../analytics/privacy/linked.ts";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { readDemoProgram, type DemoProgramData } from "../auth/matrix-data.ts";

const PROGRAM = "octave-demo";
const OWN = "BEAUMANOIR";
const ACCOUNTS = {
  admin: ["demo-admin", "binome-demo-admin"],
  hr: ["demo-hr", "binome-demo-hr"],
  rse: ["demo-rse", "binome-demo-rse"],
  sponsor: ["demo-sponsor", "binome-demo-sponsor"],
} as const;
type Who = keyof typeof ACCOUNTS;
const PROTECTED = ["hr", "rse", "sponsor"] as const;

let server: RunningServer;
let dir: string;
let demo: DemoProgramData;
const cookies = new Map<Who, string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-privacy-"));
  server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" }, 150_000);
  demo = readDemoProgram(join(dir, "demo"), PROGRAM);
  for (const [who, [username, password]] of Object.entries(ACCOUNTS) as [Who, readonly [string, string]][]) {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.origin },
      body: new URLSearchParams({ username, password, redirectTo: "/" }),
    });
    expect(response.status, `${who} signs in`).toBe(302);
    cookies.set(who, response.headers.get("set-cookie")!.split(";")[0]);
  }
}, 200_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function get(who: Who, path: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { cookie: cookies.get(who)! }, redirect: "manual" });
}

/** The loader data of a page (Remix single fetch: `<path>.data`, turbo-stream encoded), by route id. */
async function loaderData(who: Who, page: string, query = ""): Promise<Record<string, any>> {
  const response = await get(who, `/programs/${PROGRAM}${page ? `/${page}` : ""}.data${query ? `?${query}` : ""}`);
  expect(response.status, `${who} ${page}?${query}`).toBe(200);
  const decoded = await decode(response.body!);
  await decoded.done;
  const routes = decoded.value as Record<string, { data?: unknown }>;
  return Object.fromEntries(Object.entries(routes).map(([id, r]) => [id, r.data]));
}

const QUALITY = "routes/programs.$programId.quality";
const LAYOUT = "routes/programs.$programId";

describe("(a) two date windows a day apart", () => {
  for (const who of PROTECTED) {
    it(`${who}: both windows are widened to the same whole period and give the same figures`, async () => {
      const first = await loaderData(who, "quality", "from=2025-10-01&to=2025-10-07");
      const second = await loaderData(who, "quality", "from=2025-10-01&to=2025-10-08");
      expect(second[QUALITY].summary).toEqual(first[QUALITY].summary);
      expect(second[QUALITY].satisfaction).toEqual(first[QUALITY].satisfaction);
      expect(second[QUALITY].regularity).toEqual(first[QUALITY].regularity);
      expect(first[LAYOUT].notices).toContainEqual(expect.objectContaining({ name: "from", reason: "coarsened" }));
      expect(first[LAYOUT].filters).toMatchObject({ from: "2025-10-01", to: "2025-10-31" });
    });
  }

  it("the admin still sees the exact windows (the operator sees everything)", async () => {
    const first = await loaderData("admin", "quality", "from=2025-10-01&to=2025-10-07");
    const second = await loaderData("admin", "quality", "from=2025-10-01&to=2025-10-08");
    expect(first[QUALITY].summary.pairs).toBeLessThan(second[QUALITY].summary.pairs);
  });

  it("the report JSON's as_of, another way to take two days apart, is for operators only", async () => {
    for (const who of PROTECTED) {
      const response = await get(who, `/api/programs/${PROGRAM}/report.json?as_of=2025-10-07`);
      expect(response.status, who).toBe(403);
      expect(await response.json()).toMatchObject({ error: "forbidden" });
    }
    expect((await get("admin", `/api/programs/${PROGRAM}/report.json?as_of=2025-10-07`)).status).toBe(200);
  });
});

describe("(b) a total minus all but one of its parts", () => {
  it("rse: role=mentee with any generation is refused, so the parts are all the same view", async () => {
    const mentees = (await loaderData("rse", "quality", "role=mentee"))[QUALITY].summary;
    for (const generation of ["boomers", "gen_x", "millennials", "gen_z"]) {
      const data = await loaderData("rse", "quality", `role=mentee&generation=${generation}`);
      expect(data[QUALITY].summary, generation).toEqual(mentees);
      expect(data[LAYOUT].notices).toContainEqual({ name: "generation", value: generation, reason: "privacy" });
    }
  });

  it("the generation filter is offered nowhere it would be refused: the admin's small cell exists", async () => {
    // The cell the attack recovered: the admin sees it under k, so the refusal above is not vacuous.
    const boomers = (await loaderData("admin", "quality", "role=mentee&generation=boomers"))[QUALITY].summary;
    expect(boomers.pairs).toBeGreaterThan(0);
    expect(boomers.pairs * 2).toBeLessThan(5);
  });
});

describe("(c) a mean next to a histogram with hidden bars", () => {
  for (const who of PROTECTED) {
    it(`${who}: no published mean pins a hidden bar, on the page and in the report JSON`, async () => {
      const quality = (await loaderData(who, "quality"))[QUALITY];
      const report = await (await get(who, `/api/programs/${PROGRAM}/report.json`)).json();
      for (const phase of ["midpoint", "final"] as const) {
        const bars = quality.satisfaction.filter((b: { phase: string }) => b.phase === phase).map((b: { satisfaction: number; answers: number | null }) => ({ score: b.satisfaction, answers: b.answers }));
        const admin = (await loaderData("admin", "quality"))[QUALITY].satisfaction.filter((b: { phase: string }) => b.phase === phase);
        const total = admin.reduce((sum: number, b: { answers: number }) => sum + b.answers, 0);
        for (const mean of [quality.summary[`${phase}_satisfaction_mean`], report.quality[`${phase}_satisfaction_mean`]]) {
          if (mean !== null) expect(meanRevealsHiddenBars(bars, total, mean), `${phase} mean ${mean}`).toBe(false);
        }
      }
    });
  }

  it("hidden bars are drawn as hidden on the page, never as the 'no data' state", async () => {
    const quality = (await loaderData("rse", "quality"))[QUALITY];
    expect(quality.satisfaction.some((b: { suppressed: boolean }) => b.suppressed)).toBe(true);
    const html = await (await get("rse", `/programs/${PROGRAM}/quality`)).text();
    expect(html).toContain("▨ hidden");
  });

  it("the case of the issue is there: the admin's final bars include some under k", async () => {
    const final = (await loaderData("admin", "quality"))[QUALITY].satisfaction.filter((b: { phase: string; answers: number }) => b.phase === "final" && b.answers > 0 && b.answers < 5);
    expect(final.length).toBeGreaterThan(0);
  });
});

describe("the overview's trends, cumulative month by month", () => {
  const OVERVIEW = "routes/programs.$programId._index";
  it("protected readers get them only at the end of each period block and the last month, with no satisfaction trend", async () => {
    const admin = (await loaderData("admin", ""))[OVERVIEW].trends as { month: string; midpoint_satisfaction_mean: number | null }[];
    // The operator's monthly points: two consecutive months differ by that month's answers.
    expect(admin.length).toBeGreaterThan(2);
    expect(admin.some((r) => r.midpoint_satisfaction_mean !== null)).toBe(true);
    for (const who of PROTECTED) {
      const trends = (await loaderData(who, ""))[OVERVIEW].trends as typeof admin;
      // octave-demo's pairs were all matched in October 2025: one block, so its end and the last month.
      expect(trends.map((r) => r.month), who).toEqual(["2025-10", admin[admin.length - 1].month]);
      expect(trends.every((r) => r.midpoint_satisfaction_mean === null), who).toBe(true);
    }
  });
});

describe("the topics page's tables", () => {
  const TOPICS = "routes/programs.$programId.topics";
  it("follow only the organization filter for protected readers, and the page says so", async () => {
    for (const who of PROTECTED) {
      const all = (await loaderData(who, "topics"))[TOPICS].page;
      const mentees = (await loaderData(who, "topics", "role=mentee"))[TOPICS].page;
      expect(mentees.breakdowns_scope, who).toBe("organization");
      for (const table of ["by_topic", "by_category", "by_cohort", "by_generation", "days_to_acquire"]) expect(mentees[table], `${who} ${table}`).toEqual(all[table]);
      expect(await (await get(who, `/programs/${PROGRAM}/topics?role=mentee`)).text()).toContain('data-notice="tables-by-organization"');
    }
    // The operator's tables follow every filter.
    const admin = (await loaderData("admin", "topics", "role=mentee"))[TOPICS].page;
    expect(admin.breakdowns_scope).toBe("filters");
  });
});

describe("the generations page's tables", () => {
  const GENERATIONS = "routes/programs.$programId.generations";
  it("follow only the organization filter for protected readers, rows hidden alike in every view", async () => {
    for (const who of PROTECTED) {
      const all = (await loaderData(who, "generations"))[GENERATIONS].page;
      const mentees = (await loaderData(who, "generations", "role=mentee"))[GENERATIONS].page;
      expect(mentees.tables_scope, who).toBe("organization");
      for (const table of ["pyramid", "octaves", "matrix", "age_gaps", "by_organization"]) expect(mentees[table], `${who} ${table}`).toEqual(all[table]);
      expect(mentees.summary.participants_by_generation, who).toEqual(all.summary.participants_by_generation);
      // The totals still follow the filter.
      expect(mentees.summary.participants, who).toBeLessThan(all.summary.participants);
      expect(await (await get(who, `/programs/${PROGRAM}/generations?role=mentee`)).text()).toContain('data-notice="tables-by-organization"');
    }
    expect((await loaderData("admin", "generations", "role=mentee"))[GENERATIONS].page.tables_scope).toBe("filters");
  });
});

describe("(d) partner companies' money and names", () => {
  const others = () => demo.organizations.filter((o) => o.orgId !== OWN);

  for (const who of PROTECTED) {
    it(`${who}: the costs page, its data and the report name only its own organization and "others"`, async () => {
      const costs = await loaderData(who, "costs");
      const page = costs["routes/programs.$programId.costs"].page;
      expect(page.by_organization.map((r: { group_key: string }) => r.group_key).sort()).toEqual([OWN, "others"]);
      const bodies = [
        JSON.stringify(costs),
        await (await get(who, `/programs/${PROGRAM}/costs`)).text(),
        await (await get(who, `/api/programs/${PROGRAM}/report.json`)).text(),
        JSON.stringify(await loaderData(who, "generations")),
        await (await get(who, `/programs/${PROGRAM}/print`)).text(),
      ];
      for (const body of bodies) {
        for (const o of others()) {
          expect(body.includes(o.name), `${who} sees ${o.name}`).toBe(false);
          expect(body.includes(`"${o.orgId}"`), `${who} sees ${o.orgId}`).toBe(false);
        }
      }
    });
  }

  it("the admin sees every company's payments", async () => {
    const page = (await loaderData("admin", "costs"))["routes/programs.$programId.costs"].page;
    expect(page.by_organization.filter((r: { group_key: string }) => r.group_key !== "unattributed").length).toBe(demo.organizations.length);
  });
});

describe("the audit from /admin/programs", () => {
  const post = (who: Who, form: Record<string, string>) =>
    fetch(`${server.url}/admin/programs`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: cookies.get(who)!, origin: server.origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
    });

  it("an operator runs it and the page shows the last result and date; nobody else may", async () => {
    const before = await (await get("admin", "/admin/programs")).text();
    expect(before).toContain('data-audit="none"');
    const run = await post("admin", { intent: "audit", programId: PROGRAM });
    expect(run.status).toBe(200);
    expect(await run.text()).toMatch(/Audit of octave-demo: (no hidden figure can be narrowed|\d+ hidden figure\(s\) can be narrowed)/);
    const after = await (await get("admin", "/admin/programs")).text();
    expect(after).toMatch(new RegExp(`data-program-id="${PROGRAM}"[\\s\\S]*?data-audit="(ok|findings)"`));
    expect(after).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}: /);
    for (const who of PROTECTED) expect((await post(who, { intent: "audit", programId: PROGRAM })).status, who).toBe(403);
  }, 120_000);
});
