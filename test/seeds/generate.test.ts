import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../seeds/generate.ts";
import { FEATURE_NAMES, fitLogistic, iso, labelledPairs, mean, readExport, sd, type Export } from "./helpers.ts";

const HEADERS: Record<string, string> = {
  programs: "program_id,name,kind,start_date,end_date,currency",
  organizations: "org_id,name,sector",
  participants: "participant_id,program_id,org_id,role,birth_year,gender,job_level,city,languages,topics,joined_at,trained_at",
  topics: "topic_id,program_id,name,category",
  pairs: "pair_id,program_id,mentor_id,mentee_id,matched_at,ended_at,status,end_reason,match_score,reverse_since",
  meetings: "meeting_id,pair_id,date,mode,duration_minutes",
  pair_topics: "pair_id,topic_id,targeted_at,acquired_at,rating",
  evaluations: "pair_id,respondent,phase,submitted_at,satisfaction,chemistry,would_continue,comment",
  costs: "program_id,org_id,date,category,amount,currency",
  workforce: "program_id,person_id,org_id,birth_year,hire_date,job_level,gender,left_at,leave_reason,promoted_at,observed_until",
};

let root: string;
let octaveDir: string;
let largeDir: string;
let octave: Export;
let large: Export;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "binome-seeds-"));
  const { folders } = await generateDemo({ outDir: join(root, "a") });
  expect(folders.map((f) => f.programId)).toEqual(["octave-demo", "large-demo"]);
  [octaveDir, largeDir] = folders.map((f) => f.dir);
  octave = readExport(octaveDir, true);
  large = readExport(largeDir, false);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}

describe("determinism", () => {
  it("writes the same bytes for the same seed, other bytes for another seed", async () => {
    const again = await generateDemo({ outDir: join(root, "b") });
    const other = await generateDemo({ outDir: join(root, "c"), programs: ["octave-demo"], seed: 7 });
    for (const [first, second] of [[octaveDir, again.folders[0].dir], [largeDir, again.folders[1].dir]]) {
      const a = filesOf(first);
      const b = filesOf(second);
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
    }
    expect(filesOf(other.folders[0].dir).get("pairs.csv")!.equals(filesOf(octaveDir).get("pairs.csv")!)).toBe(false);
  });
});

describe("structure", () => {
  it("writes the ten files of the export format (with the optional workforce) with their exact headers", () => {
    for (const [dir, delimiter] of [[octaveDir, ";"], [largeDir, ","]]) {
      const files = filesOf(dir);
      expect([...files.keys()]).toEqual(Object.keys(HEADERS).map((t) => `${t}.csv`).sort());
      for (const [table, header] of Object.entries(HEADERS)) {
        const firstLine = files.get(`${table}.csv`)!.toString("latin1").split(/\r?\n/)[0];
        expect(firstLine, table).toBe(header.replaceAll(",", delimiter));
      }
    }
  });

  it("writes octave-demo the French way: Windows-1252, ;, CRLF, dd/mm/yyyy, decimal comma, oui/non", () => {
    const files = filesOf(octaveDir);
    const all = Buffer.concat([...files.values()]);
    expect(all.includes(0x80), "€ as 0x80").toBe(true);
    expect(all.includes(0x9c), "œ as 0x9C").toBe(true);
    expect(all.includes(0x92), "’ as 0x92").toBe(true);
    expect(all.includes(Buffer.from("é", "utf8")), "no UTF-8").toBe(false);
    expect(files.get("participants.csv")!.includes(Buffer.from("Besan\xe7on", "latin1"))).toBe(true);
    for (const [name, bytes] of files) {
      const lone = bytes.toString("latin1").match(/(?<!\r)\n/g) ?? [];
      // The only bare line break is the one inside a quoted comment.
      expect(lone.length, name).toBe(name === "evaluations.csv" ? 1 : 0);
      expect(bytes.toString("latin1").endsWith("\r\n"), name).toBe(true);
    }
    expect(octave.pairs.every((p) => /^\d{2}\/\d{2}\/\d{4}$/.test(p.matched_at))).toBe(true);
    expect(octave.pairs.every((p) => /^[01],\d{2}$/.test(p.match_score))).toBe(true);
    const amounts = octave.costs.map((c) => c.amount);
    expect(amounts.every((a) => /^\d{1,3}([ \u00a0]\d{3})*,\d{2}$/.test(a))).toBe(true);
    expect(amounts.some((a) => a.includes(" "))).toBe(true);
    expect(amounts.some((a) => a.includes("\u00a0"))).toBe(true);
    expect(new Set(octave.evaluations.map((e) => e.would_continue))).toEqual(new Set(["oui", "non"]));
    expect(octave.participants.some((p) => p.gender === "H")).toBe(true);
    const comments = octave.evaluations.map((e) => e.comment);
    expect(comments.some((c) => c.includes(";"))).toBe(true);
    expect(comments.some((c) => c.includes("\n"))).toBe(true);
    expect(comments.some((c) => c.includes("€"))).toBe(true);
    expect(readFileSync(join(octaveDir, "evaluations.csv")).includes(Buffer.from('"Tr\xe8s bonne \xe9coute ;', "latin1"))).toBe(true);
  });

  it("shapes octave-demo like OCTAVE: 6 companies, ~50 pairs, 8 months, unmatched mentees, reverse pairs, costs", () => {
    expect(octave.programs).toHaveLength(1);
    expect(octave.programs[0]).toMatchObject({ kind: "inter", start_date: "01/10/2025", end_date: "31/05/2026", currency: "EUR" });
    expect(octave.organizations).toHaveLength(6);
    expect(octave.pairs.length).toBeGreaterThanOrEqual(45);
    expect(octave.pairs.length).toBeLessThanOrEqual(55);
    const matched = new Set(octave.pairs.map((p) => p.mentee_id));
    expect(octave.participants.filter((p) => p.role === "mentee" && !matched.has(p.participant_id)).length).toBeGreaterThan(0);
    expect(octave.pairs.filter((p) => p.reverse_since).length).toBeGreaterThan(0);
    expect(new Set(octave.meetings.map((m) => m.mode))).toEqual(new Set(["online", "offline"]));
    expect(new Set(octave.evaluations.map((e) => e.phase))).toEqual(new Set(["midpoint", "final"]));
    expect(new Set(octave.costs.map((c) => c.category))).toEqual(new Set(["subscription", "training", "events"]));
    expect(new Set(octave.topics.map((t) => t.category)).size).toBe(6);
    expect(octave.pairs.every((p) => p.status !== "active")).toBe(true);
  });

  it("shapes large-demo: one group, ~2000 participants, 12 months, ongoing at a fixed export date", () => {
    expect(large.programs[0]).toMatchObject({ kind: "intra", start_date: "2026-03-01", end_date: "2027-02-28" });
    expect(large.participants).toHaveLength(2000);
    const statuses = new Set(large.pairs.map((p) => p.status));
    expect(statuses).toEqual(new Set(["active", "completed", "ended_early"]));
    const dates = [
      ...large.meetings.map((m) => m.date),
      ...large.evaluations.map((e) => e.submitted_at),
      ...large.pairs.flatMap((p) => [p.ended_at, p.matched_at]),
      ...large.pair_topics.map((t) => t.acquired_at),
    ].filter(Boolean);
    expect(dates.reduce((a, b) => (a > b ? a : b))).toBe("2026-11-20");
  });
});

/** The validation rules of the export format, checked in JS on both demos. */
function checkValid(data: Export): string[] {
  const errors: string[] = [];
  const program = data.programs[0];
  const start = iso(program.start_date);
  const end = iso(program.end_date);
  const days = (Date.parse(end) - Date.parse(start)) / 86_400_000;
  const mid = new Date(Date.parse(start) + Math.floor(days / 2) * 86_400_000).toISOString().slice(0, 10);
  const orgs = new Set(data.organizations.map((o) => o.org_id));
  const topics = new Set(data.topics.map((t) => t.topic_id));
  const people = new Map(data.participants.map((p) => [p.participant_id, p]));
  if (people.size !== data.participants.length) errors.push("duplicate participant ids");
  for (const p of data.participants) {
    if (!orgs.has(p.org_id)) errors.push(`participant ${p.participant_id}: unknown org`);
    const year = Number(p.birth_year);
    if (!(year >= 1930 && year <= 2010)) errors.push(`participant ${p.participant_id}: birth year ${year}`);
    if (!["mentor", "mentee"].includes(p.role)) errors.push(`participant ${p.participant_id}: role`);
    if (!(Number(p.job_level) >= 1 && Number(p.job_level) <= 5)) errors.push(`participant ${p.participant_id}: job level`);
    for (const t of p.topics.split("|").filter(Boolean)) if (!topics.has(t)) errors.push(`participant ${p.participant_id}: topic ${t}`);
    if (p.trained_at && iso(p.trained_at) < iso(p.joined_at)) errors.push(`participant ${p.participant_id}: trained before joining`);
  }
  const pairs = new Map(data.pairs.map((p) => [p.pair_id, p]));
  if (pairs.size !== data.pairs.length) errors.push("duplicate pair ids");
  for (const p of data.pairs) {
    if (people.get(p.mentor_id)?.role !== "mentor") errors.push(`pair ${p.pair_id}: mentor`);
    if (people.get(p.mentee_id)?.role !== "mentee") errors.push(`pair ${p.pair_id}: mentee`);
    const matched = iso(p.matched_at);
    if (matched < start || matched > end) errors.push(`pair ${p.pair_id}: matched outside the program`);
    if (p.status === "active" && p.ended_at) errors.push(`pair ${p.pair_id}: active with ended_at`);
    if (p.status !== "active" && !p.ended_at) errors.push(`pair ${p.pair_id}: finished without ended_at`);
    if (p.ended_at && iso(p.ended_at) < matched) errors.push(`pair ${p.pair_id}: ended before matched`);
    if (p.reverse_since && (iso(p.reverse_since) < matched || (p.ended_at && iso(p.reverse_since) > iso(p.ended_at)))) errors.push(`pair ${p.pair_id}: reverse_since`);
    if (!!p.end_reason !== (p.status === "ended_early")) errors.push(`pair ${p.pair_id}: end_reason`);
    const score = Number(p.match_score.replace(",", "."));
    if (!(score >= 0 && score <= 1)) errors.push(`pair ${p.pair_id}: match_score`);
  }
  const within = (pairId: string, date: string, what: string) => {
    const pair = pairs.get(pairId);
    if (!pair) return errors.push(`${what}: unknown pair ${pairId}`);
    if (iso(date) < iso(pair.matched_at)) errors.push(`${what} ${pairId}: before matched_at`);
    if (pair.ended_at && iso(date) > iso(pair.ended_at)) errors.push(`${what} ${pairId}: after ended_at`);
  };
  const meetingIds = new Set<string>();
  for (const m of data.meetings) {
    if (meetingIds.has(m.meeting_id)) errors.push(`duplicate meeting ${m.meeting_id}`);
    meetingIds.add(m.meeting_id);
    within(m.pair_id, m.date, "meeting");
  }
  for (const t of data.pair_topics) {
    if (!topics.has(t.topic_id)) errors.push(`pair topic ${t.pair_id}: unknown topic`);
    within(t.pair_id, t.targeted_at, "targeted_at");
    if (t.acquired_at) within(t.pair_id, t.acquired_at, "acquired_at");
    if (t.acquired_at && iso(t.acquired_at) < iso(t.targeted_at)) errors.push(`pair topic ${t.pair_id}: acquired before targeted`);
  }
  const answered = new Set<string>();
  for (const e of data.evaluations) {
    within(e.pair_id, e.submitted_at, "evaluation");
    if (iso(e.submitted_at) < mid) errors.push(`evaluation ${e.pair_id}: ${e.phase} before the midpoint ${mid}`);
    const key = `${e.pair_id}/${e.respondent}/${e.phase}`;
    if (answered.has(key)) errors.push(`evaluation ${key} twice`);
    answered.add(key);
    for (const v of [e.satisfaction, e.chemistry]) if (!/^[1-5]$/.test(v)) errors.push(`evaluation ${key}: ${v}`);
  }
  for (const c of data.costs) {
    if (c.currency !== program.currency) errors.push("cost currency");
    if (c.org_id && !orgs.has(c.org_id)) errors.push(`cost: unknown org ${c.org_id}`);
  }
  return errors;
}

describe("validity", () => {
  it("follows the export format's rules: references, roles, dates, statuses, currency", () => {
    expect(checkValid(octave)).toEqual([]);
    expect(checkValid(large)).toEqual([]);
  });

  it("writes a scale-demo of N participants", async () => {
    const { folders } = await generateDemo({ outDir: join(root, "scale"), scale: 3000 });
    expect(folders.map((f) => f.programId)).toEqual(["scale-demo"]);
    const scale = readExport(folders[0].dir, false);
    expect(scale.participants).toHaveLength(3000);
    expect(scale.meetings.length / scale.participants.length).toBeGreaterThan(4);
    expect(checkValid(scale)).toEqual([]);
  });
});

describe("the generating model", () => {
  it("ends pairs early less often when the mentor offers what the mentee seeks", () => {
    const pairs = labelledPairs(large);
    const earlyRate = (list: typeof pairs) => mean(list.map((p) => Number(p.endedEarly)));
    const high = pairs.filter((p) => p.features[0] >= 0.99);
    const low = pairs.filter((p) => p.features[0] <= 0.5);
    expect(high.length).toBeGreaterThan(100);
    expect(low.length).toBeGreaterThan(100);
    expect(earlyRate(high)).toBeLessThan(earlyRate(low) / 2);
  });

  it("lets a logistic regression recover the signs and the order of the true effects on large-demo", () => {
    const pairs = labelledPairs(large);
    expect(pairs.length).toBeGreaterThan(800);
    const successRate = mean(pairs.map((p) => Number(p.success)));
    expect(successRate).toBeGreaterThan(0.4);
    expect(successRate).toBeLessThan(0.8);
    const beta = fitLogistic(pairs.map((p) => p.features), pairs.map((p) => p.success));
    const perSd = FEATURE_NAMES.map((_, j) => beta[j + 1] * sd(pairs.map((p) => p.features[j])));
    // topic fit +, same city +, age-gap distance −, cross-company +, job-level gap −
    expect(perSd.map(Math.sign)).toEqual([1, 1, -1, 1, -1]);
    const strength = perSd.map(Math.abs);
    for (let j = 1; j < strength.length; j++) expect(strength[j - 1], FEATURE_NAMES[j]).toBeGreaterThan(strength[j]);
  });
});
