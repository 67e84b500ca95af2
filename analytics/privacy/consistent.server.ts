/**
 * The breakdown categories a protected reader sees hidden in every view (./consistent.ts): the
 * satisfaction scores of each phase and the end reasons of the quality page, computed over
 * every filter combination the query space serves, once per program, reader organization, k
 * and data version.
 */
import { NO_ORGANIZATION } from "../domain/identifiers.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { cachedByDataVersion } from "../metrics/cache.server.ts";
import type { Filters } from "../domain/filters.ts";
import { GENERATION_KEYS } from "../domain/generations.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { consistentHidden, type CategoryRow } from "./consistent.ts";
import { meanRevealsHiddenBars } from "./linked.ts";
import { withheldMeans, type MeanView } from "./means.ts";
import { blockWindows, dimensionsOf, populationKey, servedFilterSets, type QuerySpace, type SpacePerson } from "./query-space.ts";
import { getQuerySpace } from "./query-space.server.ts";

export interface HiddenCategories {
  /** Satisfaction scores (as strings "1"…"5") hidden in every view, per phase. */
  midpoint: ReadonlySet<string>;
  final: ReadonlySet<string>;
  /** End reasons hidden in every view. */
  reasons: ReadonlySet<string>;
  /**
   * The means withheld in every view that shows them (./means.ts): `meanKey` of a quality-page
   * population (the report's program-wide means are the unfiltered one), `reportMeanKey` of a
   * report breakdown row.
   */
  withheldMeans: ReadonlySet<string>;
}

/** The key of a population's satisfaction mean of one phase (quality page, report, overview). */
export function meanKey(space: QuerySpace, filters: Filters, phase: "midpoint" | "final"): string {
  return `quality|${phase}|${populationKey(space, filters)}`;
}

/** The key of the mid-point mean of a report breakdown row (dimension as in report_breakdowns.sql). */
export function reportMeanKey(dimension: string, group: string): string {
  return `report|midpoint|${dimension}|${group}`;
}

interface Pair {
  pair_id: string;
  mentor_id: string;
  mentee_id: string;
  mentor_org: string | null;
  mentor_gen: string | null;
  mentee_org: string | null;
  mentee_gen: string | null;
  matched_on: string;
  end_reason: string | null;
}

/** Whether a pair passes the URL filters: the rule of sql/marts/filtered_pairs.sql. */
export function pairPasses(p: Pair, f: Filters): boolean {
  if (f.cohort !== null && p.matched_on.slice(0, 7) !== f.cohort) return false;
  if (f.from !== null && p.matched_on < f.from) return false;
  if (f.to !== null && p.matched_on > f.to) return false;
  const mentor = sidePasses(p.mentor_org, p.mentor_gen, f);
  const mentee = sidePasses(p.mentee_org, p.mentee_gen, f);
  return f.role === "mentor" ? mentor : f.role === "mentee" ? mentee : mentor || mentee;
}

function sidePasses(org: string | null, gen: string | null, f: Filters): boolean {
  return (f.org === null || org === f.org) && (f.generation === null || gen === f.generation);
}

/** null when the program does not exist. */
export function getHiddenCategories(db: Db, programId: string, orgId: string | null, k: number): Promise<HiddenCategories | null> {
  return cachedByDataVersion(db, programId, ["hidden-categories", orgId, k], async () => {
    const space = await getQuerySpace(db, programId, orgId, k);
    const data = await withProgramMarts(db, programId, async () => {
      const [program] = await db.all<{ as_of: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
      if (!program) return null;
      const pairs = await db.all<Pair>(loadSql("privacy/audit_pairs"), { program_id: programId, as_of: program.as_of });
      const answers = await db.all<Answer>(loadSql("privacy/audit_answers"), { program_id: programId });
      const people = await db.all<SpacePerson & { gender: string }>(loadSql("privacy/query_space_people"), { program_id: programId });
      return { pairs, answers, people };
    });
    if (!data || !space) return null;
    // People, answers and end reasons as small integers, so that the distinct people of each
    // view are counted with stamps rather than sets of strings (seconds at 200,000 participants).
    const ids = new Map<string, number>();
    const idOf = (id: string) => {
      let c = ids.get(id);
      if (c === undefined) ids.set(id, (c = ids.size));
      return c;
    };
    const reasonNames: string[] = [];
    const reasonCode = new Map<string, number>();
    const coded = data.pairs.map((p) => {
      let reason = -1;
      if (p.end_reason) {
        reason = reasonCode.get(p.end_reason) ?? -1;
        if (reason < 0) reasonCode.set(p.end_reason, (reason = reasonNames.push(p.end_reason) - 1));
      }
      return { pair: p, mentor: idOf(p.mentor_id), mentee: idOf(p.mentee_id), reason, answers: { midpoint: [] as number[], final: [] as number[] } };
    });
    const codedOf = new Map(coded.map((c) => [c.pair.pair_id, c]));
    // Several pairs may share an id (audit_pairs has one row per pair): the answers go to each.
    const pairsOfId = new Map<string, typeof coded>();
    for (const c of coded) {
      let list = pairsOfId.get(c.pair.pair_id);
      if (!list) pairsOfId.set(c.pair.pair_id, (list = []));
      list.push(c);
    }
    for (const [index, a] of data.answers.entries()) for (const c of pairsOfId.get(a.pair_id) ?? []) c.answers[a.phase]?.push(index);
    const people = ids.size;
    // seen[score * people + person] === stamp: the person was counted for that score in this view.
    const seen = new Int32Array(6 * people);
    const respondentSeen = new Int32Array(2 * people);
    const mentorSeen = new Int32Array(Math.max(1, reasonNames.length) * people);
    const menteeSeen = new Int32Array(Math.max(1, reasonNames.length) * people);
    let stamp = 0;
    const views = servedFilterSets(space, orgId ?? NO_ORGANIZATION, blockWindows(space), GENERATION_KEYS);
    const tables = { midpoint: [] as CategoryRow[][], final: [] as CategoryRow[][], reasons: [] as CategoryRow[][] };
    const viewAnswers: { f: Filters; phase: "midpoint" | "final"; answers: Int32Array; respondents: number }[] = [];
    const inView: number[] = [];
    for (const f of views) {
      const pairs = coded.filter((c) => pairPasses(c.pair, f));
      for (const phase of ["midpoint", "final"] as const) {
        // Distinct respondents per score, as the quality page counts them.
        stamp++;
        const counts = [0, 0, 0, 0, 0, 0];
        let respondents = 0;
        inView.length = 0;
        for (const c of pairs)
          for (const index of c.answers[phase]) {
            const a = data.answers[index];
            if (f.role !== null && a.role !== f.role) continue;
            const person = a.role === "mentor" ? c.mentor : c.mentee;
            const slot = a.score * people + person;
            if (seen[slot] !== stamp) {
              seen[slot] = stamp;
              counts[a.score]++;
            }
            const respondent = 2 * person + (a.role === "mentor" ? 0 : 1);
            if (respondentSeen[respondent] !== stamp) {
              respondentSeen[respondent] = stamp;
              respondents++;
            }
            inView.push(index);
          }
        viewAnswers.push({ f, phase, answers: Int32Array.from(inView), respondents });
        tables[phase].push([1, 2, 3, 4, 5].map((s) => ({ key: String(s), people: counts[s] })));
      }
      stamp++;
      const order: number[] = [];
      const reasonPeople = new Array<number>(reasonNames.length).fill(0);
      const reasonMet = new Array<boolean>(reasonNames.length).fill(false);
      for (const c of pairs) {
        if (c.reason < 0) continue;
        if (!reasonMet[c.reason]) {
          reasonMet[c.reason] = true;
          order.push(c.reason);
        }
        const slot = c.reason * people;
        if (mentorSeen[slot + c.mentor] !== stamp) {
          mentorSeen[slot + c.mentor] = stamp;
          reasonPeople[c.reason]++;
        }
        if (menteeSeen[slot + c.mentee] !== stamp) {
          menteeSeen[slot + c.mentee] = stamp;
          reasonPeople[c.reason]++;
        }
      }
      tables.reasons.push(order.map((r) => ({ key: reasonNames[r], people: reasonPeople[r] })));
    }
    const hidden = { midpoint: consistentHidden(tables.midpoint, k), final: consistentHidden(tables.final, k) };

    // The means of every view, and which of them must be withheld (./means.ts).
    const meanViews: MeanView[] = [];
    const masked = (a: Answer) => hidden[a.phase].has(String(a.score));
    for (const { f, phase, answers: indices, respondents } of viewAnswers) {
      if (indices.length === 0) continue;
      let total = 0;
      const perScore = [0, 0, 0, 0, 0, 0];
      const withHidden: number[] = [];
      for (const index of indices) {
        const a = data.answers[index];
        total += a.score;
        perScore[a.score]++;
        if (masked(a)) withHidden.push(index);
      }
      const bars = [1, 2, 3, 4, 5].map((score) => ({ score, answers: hidden[phase].has(String(score)) ? null : perScore[score] }));
      const local = respondents < k || meanRevealsHiddenBars(bars, indices.length, total / indices.length);
      const dims = dimensionsOf(f).length;
      meanViews.push({ key: meanKey(space, f, phase), answers: withHidden, withheld: local, priority: dims === 0 ? 100 : 50 - 10 * dims });
    }
    // The report's breakdown rows: the mid-point answers given by each group's members.
    const person = new Map(data.people.map((p) => [p.id, p]));
    const pairOf = new Map(data.pairs.map((p) => [p.pair_id, p]));
    const groupsOf = (p: SpacePerson & { gender: string }): [string, string][] => [
      ["organization", p.org === orgId ? (orgId ?? "") : "others"],
      ["generation", p.gen ?? "unknown"],
      ["gender", p.gender],
      ["role", p.role],
      ["cohort", p.month ?? "unmatched"],
    ];
    const rows = new Map<string, { answers: number[]; respondents: Set<string>; participants: number }>();
    const row = (key: string) => {
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { answers: [], respondents: new Set(), participants: 0 }));
      return r;
    };
    // Each person's rows, found once (not once per answer).
    const rowsOf = new Map<SpacePerson, ReturnType<typeof row>[]>();
    for (const p of data.people) {
      const mine = groupsOf(p).map(([dimension, group]) => row(reportMeanKey(dimension, group)));
      for (const r of mine) r.participants++;
      rowsOf.set(p, mine);
    }
    for (const [index, a] of data.answers.entries()) {
      if (a.phase !== "midpoint") continue;
      const pair = pairOf.get(a.pair_id);
      const who = pair && person.get(a.role === "mentor" ? pair.mentor_id : pair.mentee_id);
      if (!who) continue;
      for (const r of rowsOf.get(who)!) {
        r.respondents.add(who.id);
        if (masked(a)) r.answers.push(index);
      }
    }
    for (const [key, r] of rows) {
      if (r.respondents.size === 0) continue;
      meanViews.push({ key, answers: r.answers, withheld: r.participants < k || r.respondents.size < k, priority: 90 });
    }
    return { ...hidden, reasons: consistentHidden(tables.reasons, k), withheldMeans: withheldMeans(meanViews) };
  });
}

interface Answer {
  pair_id: string;
  role: "mentor" | "mentee";
  phase: "midpoint" | "final";
  score: number;
}

interface PairTopic {
  pair_id: string;
  topic_id: string;
  category: string;
  acquired: boolean;
  band: number | null;
}

/**
 * The populations the topics page's breakdown tables are computed over for a protected reader:
 * the whole program and its own organization (the other filters apply to the page's totals
 * only). Consistent hiding over every served filter combination left nothing to see.
 */
export function topicTableFilterSets(space: QuerySpace, orgId: string | null): Filters[] {
  return servedFilterSets(space, orgId ?? NO_ORGANIZATION, [{ from: null, to: null }], []).filter((f) => f.role === null && f.generation === null);
}

/** The key of a row of the topics or generations page in `getHiddenTopicRows`' or `getHiddenGenerationRows`' set. */
export function rowKey(table: string, ...parts: (string | number | null)[]): string {
  return `${table}:${parts.map((p) => String(p)).join(":")}`;
}
export const topicRowKey = (table: "topic" | "category" | "cohort" | "generation" | "band", ...parts: (string | number | null)[]) => rowKey(table, ...parts);
export const generationRowKey = (table: "pyramid" | "octave" | "matrix" | "gap" | "organization" | "generation" | "column", ...parts: (string | number | null)[]) => rowKey(table, ...parts);

/** The distinct people behind each row of several tables of one view: the input of `consistentHidden`. */
class PeopleTables {
  private readonly groups = new Map<string, Map<string, Set<string>>>();
  add(table: string, key: string, ...who: string[]) {
    let t = this.groups.get(table);
    if (!t) this.groups.set(table, (t = new Map()));
    let s = t.get(key);
    if (!s) t.set(key, (s = new Set()));
    for (const w of who) s.add(w);
  }
  /** Distinct people of one table's rows together. */
  people(table: string): number {
    const all = new Set<string>();
    for (const s of this.groups.get(table)?.values() ?? []) for (const w of s) all.add(w);
    return all.size;
  }
  clear() {
    this.groups.clear();
  }
  tables(): CategoryRow[][] {
    return [...this.groups.values()].map((t) => [...t].map(([key, s]) => ({ key, people: s.size })));
  }
}

/**
 * The rows of the topics page a protected reader sees hidden in every view (./consistent.ts):
 * topics (within their category, whose row is shown beside them), categories, intake months,
 * mentee generations, and the 15-day bands of each category — each by the distinct mentees
 * behind it, as the page counts them, over every filter combination the query space serves.
 * null when the program does not exist.
 */
export function getHiddenTopicRows(db: Db, programId: string, orgId: string | null, k: number): Promise<ReadonlySet<string> | null> {
  return cachedByDataVersion(db, programId, ["hidden-topic-rows", orgId, k], async () => {
    const space = await getQuerySpace(db, programId, orgId, k);
    const data = await withProgramMarts(db, programId, async () => {
      const [program] = await db.all<{ as_of: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
      if (!program) return null;
      const pairs = await db.all<Pair & { month: string }>(loadSql("privacy/audit_pairs"), { program_id: programId, as_of: program.as_of });
      const topics = await db.all<PairTopic>(loadSql("privacy/audit_pair_topics"), { program_id: programId });
      return { pairs, topics };
    });
    if (!data || !space) return null;
    const topicsOf = new Map<string, PairTopic[]>();
    for (const t of data.topics) {
      let list = topicsOf.get(t.pair_id);
      if (!list) topicsOf.set(t.pair_id, (list = []));
      list.push(t);
    }
    const tables: CategoryRow[][] = [];
    for (const f of topicTableFilterSets(space, orgId)) {
      // key → distinct mentees, per table (topics grouped by their category).
      const groups = new PeopleTables();
      const add = (table: string, key: string, mentee: string) => groups.add(table, key, mentee);
      for (const p of data.pairs) {
        if (!pairPasses(p, f)) continue;
        for (const t of topicsOf.get(p.pair_id) ?? []) {
          // Each row, and its split into topics acquired and not: a row's acquired count is
          // the size of a group too (2 of 3 mentees acquired it), so the split is a table.
          for (const split of ["", t.acquired ? " (acquired)" : " (not acquired)"]) {
            add(`topics of ${t.category}${split}`, topicRowKey("topic", t.topic_id), p.mentee_id);
            add(`categories${split}`, topicRowKey("category", t.category), p.mentee_id);
            add(`cohorts${split}`, topicRowKey("cohort", p.month), p.mentee_id);
            add(`generations${split}`, topicRowKey("generation", p.mentee_gen), p.mentee_id);
          }
          if (t.band !== null) add(`bands of ${t.category}`, topicRowKey("band", t.category, t.band), p.mentee_id);
        }
      }
      tables.push(...groups.tables());
    }
    return consistentHidden(tables, k);
  });
}

/**
 * The rows of the generations page a protected reader sees hidden in every view: the age
 * pyramid (per role, with its split inside / outside the 30–50 core), the octaves (per role),
 * the generation matrix (with its split reverse / not), the age gaps (with the split
 * cross-generation / not), the reader's organization and "others" (people, with the core
 * split; pairs, with the cross-generation and reverse splits), and the participants by
 * generation — over the populations the page's tables follow for such a reader (the program
 * and its organization, as the topics page's). null when the program does not exist.
 */
export function getHiddenGenerationRows(db: Db, programId: string, orgId: string | null, k: number): Promise<ReadonlySet<string> | null> {
  return cachedByDataVersion(db, programId, ["hidden-generation-rows", orgId, k], async () => {
    const space = await getQuerySpace(db, programId, orgId, k);
    const data = await withProgramMarts(db, programId, async () => {
      const [program] = await db.all<{ as_of: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
      if (!program) return null;
      const people = await db.all<{ id: string; role: string; org: string | null; gen: string | null; band: number; octave: string; outside_core: boolean }>(loadSql("privacy/generation_people"), { program_id: programId });
      const extra = new Map(
        (await db.all<{ pair_id: string; gap_band: number | null; cross_generation: boolean; reverse: boolean }>(loadSql("privacy/generation_pairs"), { program_id: programId })).map((p) => [p.pair_id, p]),
      );
      const pairs = (await db.all<Pair>(loadSql("privacy/audit_pairs"), { program_id: programId, as_of: program.as_of })).map((p) => ({ ...p, ...extra.get(p.pair_id)! }));
      return { people, pairs };
    });
    if (!data || !space) return null;
    const tables: CategoryRow[][] = [];
    const withheld = new Set<string>();
    const outside = new PeopleTables();
    for (const f of topicTableFilterSets(space, orgId)) {
      const groups = new PeopleTables();
      const add = (table: string, key: string, ...who: string[]) => groups.add(table, key, ...who);
      const group = (org: string | null) => (orgId !== null && org === orgId ? orgId : "others");
      for (const p of data.people) {
        if (f.org !== null && p.org !== f.org) continue;
        for (const split of ["", p.outside_core ? " (outside core)" : " (core)"]) {
          add(`pyramid ${p.role}${split}`, generationRowKey("pyramid", p.role, p.band), p.id);
          add(`organizations${split}`, generationRowKey("organization", group(p.org)), p.id);
        }
        add(`octaves ${p.role}`, generationRowKey("octave", p.role, p.octave), p.id);
        add("generations", generationRowKey("generation", p.gen), p.id);
        // Each octave is a sum of pyramid bands (the band 50–54 split between core and high):
        // the bands of one octave are a table beside its row.
        add(`bands of ${p.octave} ${p.role}`, generationRowKey("pyramid", p.role, p.band), p.id);
        if (p.outside_core) {
          outside.add(`outside ${p.role}`, "all", p.id);
          outside.add("outside", "all", p.id);
        }
      }
      for (const p of data.pairs) {
        if (!pairPasses(p, f)) continue;
        const members = [p.mentor_id, p.mentee_id];
        if (p.reverse) outside.add("reverse", "all", ...members);
        if (p.cross_generation) outside.add("cross", "all", ...members);
        for (const split of ["", p.reverse ? " (reverse)" : " (not reverse)"]) add(`matrix${split}`, generationRowKey("matrix", p.mentor_gen, p.mentee_gen), ...members);
        // A two-way table: its rows and columns add up to published margins (pairs by the
        // mentor's or the mentee's generation), so each row and each column is a table too.
        add(`matrix mentors ${p.mentor_gen}`, generationRowKey("matrix", p.mentor_gen, p.mentee_gen), ...members);
        add(`matrix mentees ${p.mentee_gen}`, generationRowKey("matrix", p.mentor_gen, p.mentee_gen), ...members);
        if (p.gap_band !== null) for (const split of ["", p.cross_generation ? " (cross)" : " (same)"]) add(`gaps${split}`, generationRowKey("gap", p.gap_band), ...members);
        for (const org of new Set([group(p.mentor_org), group(p.mentee_org)]))
          for (const split of ["", p.cross_generation ? " (cross)" : " (same)", p.reverse ? " (reverse)" : " (not reverse)"]) add(`organization pairs${split}`, generationRowKey("organization", org), ...members);
      }
      tables.push(...groups.tables());
      for (const name of ["outside mentor", "outside mentee", "outside", "reverse", "cross"]) {
        const people = outside.people(name);
        // A column of a group of 1 to k − 1 people (the reverse pairs, the people outside the
        // core) is not drawn: no hiding of its cells could leave them three values.
        if (people > 0 && people < k) withheld.add(generationRowKey("column", name));
      }
      outside.clear();
    }
    return new Set([...consistentHidden(tables, k), ...withheld]);
  });
}
