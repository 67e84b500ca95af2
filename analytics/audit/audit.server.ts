/**
 * The intruder audit (docs/privacy.md, "Checking it"): for one program, audience and reader
 * organization, enumerate every view × every filter combination the query space accepts
 * (finite by design), collect every figure that reader would be shown — read from the real
 * page and report functions, not recomputed — and express each as a linear equation over
 * unknown elementary cells. Then ask the LP engine (./lp-audit.ts) the range of every hidden
 * figure given all of them. A hidden count must keep at least 3 possible values, a hidden
 * mean a range of at least 1 point.
 *
 * Elementary cells (what a reader can tell apart): a pair by the mentor's organization group
 * (own / other) and generation, the mentee's, and its period (the query space's block — or,
 * with protections off, its matching day); measures per pair cell: pairs, active, completed,
 * ended early (and by end reason), flagged at mid-point, at risk, regularity sum and count;
 * answers per pair cell × respondent role × phase × score; people by organization group,
 * generation, role and intake month. The attacker is granted the cell structure.
 *
 * Views covered: VIEWS_COVERED, for every accepted filter combination; left out, with the
 * reason: NOT_MODELLED (leaving a published figure out makes the audit more lenient, so both
 * lists are part of every result).
 */
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { getQuality, type QualityData } from "../dashboards/quality.server.ts";
import { getTopicsPage } from "../dashboards/topics.server.ts";
import { getGenerationsPage } from "../dashboards/generations.server.ts";
import { getCostsPage } from "../dashboards/costs.server.ts";
import { NO_FILTERS, type Filters, type Role } from "../domain/filters.ts";
import { GENERATION_KEYS } from "../domain/generations.ts";
import { getProgramReport, type ProgramReport } from "../report/report.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { DEFAULT_K, MIN_K } from "../metrics/suppression.ts";
import { auditRanges, type LinearTerm, type ProtectedCell, type PublishedFact, type Structural } from "../privacy/lp-audit.ts";
import { blockWindows, programTooSmall, servedFilterSets } from "../privacy/query-space.ts";
import { getQuerySpace } from "../privacy/query-space.server.ts";

export const AUDIENCES = ["hr", "rse", "sponsor"] as const;
export type AuditAudience = (typeof AUDIENCES)[number];

export const VIEWS_COVERED = [
  "quality page (summary, satisfaction, terminations, regularity by month) × every accepted filter",
  "topics page (totals; targeted and acquired by topic, category, intake month, mentee generation; acquired by category × 15-day band) × every accepted filter",
  "generations page (totals; participants by generation; age pyramid, octaves, generation matrix, age gaps, organization and others) × every accepted filter",
  "costs page (participants, matched mentees, completed pairs and acquired topics; participants and matched mentees of the organization and others) × every accepted organization filter (dates apply to money only)",
  "report JSON (totals, means, participants, breakdowns by organization, generation, role, cohort)",
];

/** Published figures the audit leaves out, each with the reason (docs/privacy.md, "Not modelled"). */
export const NOT_MODELLED = [
  "medians (days to acquire, age gap): not linear, shown only over k or more",
  "distinct-participant counts of filtered pairs: not additive over cells",
  "the pairs Arrow: hr's own organization's pairs only",
  "the report's gender breakdown: its means are in the withheld-means rule",
  "the overview's trends at period-block ends: block totals the quality page publishes too",
  "the impact figures (Impact tab, report impact, print brief): estimates over the workforce extract, a population no other view counts; a protected reader's curves show no step of 1 to k − 1 events",
];

export interface AuditRequest {
  programId: string;
  audience: AuditAudience;
  /** The reader's organization. */
  orgId: string;
  k?: number;
  /**
   * Test and demonstration only: audit the views as the previous release served them (any
   * date window, any filter combination, means next to hidden bars). Shows the audit can fail.
   */
  protectionsOff?: boolean;
  /** Progress lines (the CLI prints them on stderr). */
  onProgress?: (message: string) => void;
}

export interface AuditFinding {
  view: string;
  figure: string;
  kind: "count" | "mean";
  trueValue: number;
  min: number;
  max: number;
  values: number | null;
  pinnedViews: string[];
}

export interface AuditResult {
  programId: string;
  audience: AuditAudience;
  orgId: string;
  k: number;
  protectionsOff: boolean;
  views: number;
  facts: number;
  /** Sensitive hidden cells checked (1 to k − 1 people or answers). */
  hiddenCells: number;
  hiddenFigures: number;
  findings: AuditFinding[];
  ok: boolean;
  cpuMs: number;
  /** CPU time of rendering every enumerated view once (the benchmark's baseline). */
  viewsCpuMs: number;
  /** The program has 1 to k − 1 participants: this reader is refused every view, nothing is published. */
  refused: boolean;
  /** Set when this result is another protected audience's of the same organization (same views). */
  sharedWith?: AuditAudience;
}

interface AuditPair {
  pair_id: string;
  mentor_id: string;
  mentee_id: string;
  mentor_org: string | null;
  mentor_gen: string | null;
  mentee_org: string | null;
  mentee_gen: string | null;
  month: string;
  is_active: boolean;
  is_completed: boolean;
  is_ended_early: boolean;
  is_midpoint_flagged: boolean;
  is_at_risk: boolean;
  meeting_regularity: number;
  has_regularity: boolean;
  end_reason: string | null;
}
interface AuditAnswer {
  pair_id: string;
  role: Role;
  phase: "midpoint" | "final";
  score: number;
}
interface AuditTopic {
  pair_id: string;
  topic_id: string;
  category: string;
  acquired: boolean;
  band: number | null;
}
interface AuditPerson {
  id: string;
  org: string | null;
  gen: string | null;
  role: Role;
  month: string | null;
}

/** A pair cell's key parts. */
interface PairCell {
  mentorOrg: "own" | "other";
  mentorGen: string;
  menteeOrg: "own" | "other";
  menteeGen: string;
  /** The period unit: block index, or the matching day with protections off. */
  time: string;
}
interface PersonCell {
  org: "own" | "other";
  gen: string;
  role: Role;
  month: string;
}

const PAIR_MEASURES = ["pairs", "active", "completed", "ended", "flagged", "at_risk", "reg_n", "reg_sum"] as const;
type PairMeasure = (typeof PAIR_MEASURES)[number];

/** The linear model: variables created on demand, facts, structural rows and hidden cells. */
class Model {
  readonly names: string[] = [];
  readonly index = new Map<string, number>();
  readonly truth: number[] = [];
  readonly facts: PublishedFact[] = [];
  readonly structural: Structural[] = [];
  readonly cells: ProtectedCell[] = [];
  private factKeys = new Set<string>();

  variable(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.truth.push(0);
      this.index.set(name, i);
    }
    return i;
  }

  value(terms: readonly LinearTerm[]): number {
    return terms.reduce((sum, t) => sum + t.c * this.truth[t.v], 0);
  }

  /** A published figure; the same figure shown by several views is kept once per view. */
  fact(view: string, figure: string, terms: LinearTerm[], value: number, tolerance = 0) {
    if (terms.length === 0) return;
    const key = `${view}\u0000${figure}`;
    if (this.factKeys.has(key)) return;
    this.factKeys.add(key);
    this.facts.push({ id: `${view} · ${figure}`, view, terms, value, tolerance });
  }

  /**
   * A hidden figure. Only the sensitive ones are checked: a count of 1 to k − 1, a mean of 1 to
   * k − 1 answers (primary suppression). The others are hidden to protect those (complementary
   * cells, a mean next to hidden bars): their own range does not matter, the primaries' does.
   */
  hidden(view: string, figure: string, kind: "count" | "mean", terms: LinearTerm[], k: number, divisorTerms?: LinearTerm[], people?: number) {
    if (terms.length === 0) return;
    if ((kind === "count" ? this.value(terms) : this.value(divisorTerms ?? [])) > 0) this.hiddenSeen++;
    // The people behind the figure when the caller knows them (a topic row's mentees: an
    // acquired count of 0 among 2 mentees is theirs), else the count or the answers.
    const base = people ?? (kind === "count" ? this.value(terms) : this.value(divisorTerms ?? []));
    if (base < 1 || base >= k) return;

    const trueValue = kind === "count" ? this.value(terms) : this.value(terms) / base;
    this.cells.push({ id: `${view} · ${figure}`, view, kind, terms, divisor: null, divisorTerms, trueValue });
  }
  /** Every hidden figure with people behind it, sensitive or not. */
  hiddenSeen = 0;
}

function labelOf(f: Filters): string {
  const parts = Object.entries(f).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join("&") : "no filter";
}

export async function auditProgram(db: Db, request: AuditRequest): Promise<AuditResult | null> {
  const k = request.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`invalid k: ${JSON.stringify(k)} (an integer ≥ ${MIN_K})`);
  const { programId, audience, orgId } = request;
  const protectionsOff = request.protectionsOff === true;
  const cpuStart = process.cpuUsage();

  const space = await getQuerySpace(db, programId, orgId, k);
  const data = await withProgramMarts(db, programId, async () => {
    const [program] = await db.all<{ as_of: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
    if (!program) return null;
    const pairs = await db.all<AuditPair>(loadSql("privacy/audit_pairs"), { program_id: programId, as_of: program.as_of });
    const answers = await db.all<AuditAnswer>(loadSql("privacy/audit_answers"), { program_id: programId });
    const people = await db.all<AuditPerson>(loadSql("privacy/query_space_people"), { program_id: programId });
    const dates = await db.all<{ pair_id: string; matched_at: string }>(loadSql("privacy/audit_pair_dates"), { program_id: programId });
    const topics = await db.all<AuditTopic>(loadSql("privacy/audit_pair_topics"), { program_id: programId });
    const genPeople = await db.all<{ id: string; band: number; octave: string; outside_core: boolean }>(loadSql("privacy/generation_people"), { program_id: programId });
    const genPairs = await db.all<{ pair_id: string; gap_band: number | null; reverse: boolean; younger_mentor: boolean }>(loadSql("privacy/generation_pairs"), { program_id: programId });
    const pairMonths = await db.all<{ pair_id: string; running: string[]; met: string[] }>(loadSql("privacy/audit_pair_months"), { program_id: programId, as_of: program.as_of });
    return { asOf: program.as_of, pairs, answers, people, dates, topics, genPeople, genPairs, pairMonths };
  });
  if (!data || !space) return null;
  if (!protectionsOff && programTooSmall(space)) {
    const cpu = process.cpuUsage(cpuStart);
    return { programId, audience, orgId, k, protectionsOff, views: 0, facts: 0, hiddenCells: 0, hiddenFigures: 0, findings: [], ok: true, cpuMs: (cpu.user + cpu.system) / 1000, viewsCpuMs: 0, refused: true };
  }
  const matchedAt = new Map(data.dates.map((d) => [d.pair_id, d.matched_at]));

  // The period unit of a pair, and the windows a reader can ask for.
  const blockOfMonth = new Map<string, number>();
  space.blocks.forEach((b, i) => b.months.forEach((m) => blockOfMonth.set(m, i)));
  // The intake month: the topics page breaks figures down by it, and a block is whole months.
  const timeOf = (p: AuditPair) => (protectionsOff ? matchedAt.get(p.pair_id)! : p.month);
  let periods = blockWindows(space);
  if (protectionsOff) {
    // Any window: the ones ending on each matching day are enough to difference day by day.
    const days = [...new Set(data.dates.map((d) => d.matched_at))].sort();
    periods = [{ from: null, to: null }, ...days.map((day) => ({ from: days[0], to: day }))];
  }
  const inPeriod = (time: string, f: Filters): boolean => {
    if (f.from === null && f.to === null) return true;
    if (protectionsOff) return (f.from === null || time >= f.from) && (f.to === null || time <= f.to);
    const block = space.blocks[blockOfMonth.get(time) ?? -1];
    return block !== undefined && (f.from === null || block.to >= f.from) && (f.to === null || block.from <= f.to);
  };

  const group = (org: string | null): "own" | "other" => (org === orgId ? "own" : "other");
  const gen = (g: string | null) => g ?? "unknown";
  const pairCellOf = (p: AuditPair): PairCell => ({ mentorOrg: group(p.mentor_org), mentorGen: gen(p.mentor_gen), menteeOrg: group(p.mentee_org), menteeGen: gen(p.mentee_gen), time: timeOf(p) });
  const pairKey = (c: PairCell) => `${c.mentorOrg}/${c.mentorGen}>${c.menteeOrg}/${c.menteeGen}@${c.time}`;
  const passes = (c: PairCell, f: Filters): boolean => {
    if (!inPeriod(c.time, f)) return false;
    const side = (org: "own" | "other", g: string) => (f.org === null || (org === "own" && f.org === orgId)) && (f.generation === null || g === f.generation);
    const mentor = side(c.mentorOrg, c.mentorGen);
    const mentee = side(c.menteeOrg, c.menteeGen);
    return f.role === "mentor" ? mentor : f.role === "mentee" ? mentee : mentor || mentee;
  };

  const model = new Model();
  // Every cell a reader can imagine, empty or not (the attacker does not know which are), over
  // the organization groups and generations the program has — public: the programs list says
  // whether it is inter-company, and the generation breakdown lists every generation present.
  // With protections off (any day a window), only the cells that hold a pair: a stronger
  // attacker, which keeps the demonstration's LP small.
  const orgGroups = (["own", "other"] as const).filter((g) => data.people.some((p) => group(p.org) === g));
  const gens = [...new Set(data.people.map((p) => gen(p.gen)))].sort();
  const times = [...new Set(data.pairs.map(timeOf))].sort();
  const reasons = [...new Set(data.pairs.flatMap((p) => (p.end_reason ? [p.end_reason] : [])))].sort();
  let pairCells: PairCell[] = [];
  for (const mo of orgGroups) for (const mg of gens) for (const eo of orgGroups) for (const eg of gens) for (const time of times) pairCells.push({ mentorOrg: mo, mentorGen: mg, menteeOrg: eo, menteeGen: eg, time });
  if (protectionsOff) {
    const held = new Set(data.pairs.map((p) => pairKey(pairCellOf(p))));
    pairCells = pairCells.filter((c) => held.has(pairKey(c)));
  }
  const v = (measure: string, key: string) => model.variable(`${measure}|${key}`);
  for (const c of pairCells) {
    const key = pairKey(c);
    const pairsVar = v("pairs", key);
    for (const m of PAIR_MEASURES) if (m !== "pairs" && m !== "reg_sum") model.structural.push({ id: `${m} ≤ pairs ${key}`, terms: [{ v: v(m, key), c: 1 }, { v: pairsVar, c: -1 }], lower: null, upper: 0 });
    model.structural.push({ id: `reg_sum ≤ reg_n ${key}`, terms: [{ v: v("reg_sum", key), c: 1 }, { v: v("reg_n", key), c: -1 }], lower: null, upper: 0 });
    model.structural.push({ id: `statuses ${key}`, terms: [{ v: v("active", key), c: 1 }, { v: v("completed", key), c: 1 }, { v: v("ended", key), c: 1 }, { v: pairsVar, c: -1 }], lower: null, upper: 0 });
    if (reasons.length > 0) model.structural.push({ id: `reasons ${key}`, terms: [...reasons.map((r) => ({ v: v(`ended:${r}`, key), c: 1 })), { v: v("ended", key), c: -1 }], lower: 0, upper: 0 });
    for (const role of ["mentor", "mentee"] as const)
      for (const phase of ["midpoint", "final"] as const)
        model.structural.push({
          id: `one answer per pair ${role} ${phase} ${key}`,
          terms: [...[1, 2, 3, 4, 5].map((s) => ({ v: v(`ans:${role}:${phase}:${s}`, key), c: 1 })), { v: pairsVar, c: -1 }],
          lower: null,
          upper: 0,
        });
  }
  // Topics. Per pair cell: the topics targeted and acquired in all (TT, TA), which the totals of
  // any filter combination add up. Per topic, and acquired topics per category × 15-day band:
  // per part of the partition the topics page's tables are published over (for a protected
  // reader, the pairs touching its organization and the others; protections off, each cell).
  // Keeping the per-topic unknowns per part rather than per cell is exact for everything the
  // tables and totals publish; only the bound "a pair targets a topic once" is then kept in its
  // aggregate form (a part's topic count ≤ its pairs), a slight leniency that keeps the LP small.
  const topicIds = [...new Set(data.topics.map((t) => t.topic_id))].sort();
  const categoryOf = new Map(data.topics.map((t) => [t.topic_id, t.category]));
  const categories = [...new Set(data.topics.map((t) => t.category))].sort();
  const bandsOf = new Map(categories.map((c) => [c, [...new Set(data.topics.filter((t) => t.category === c && t.band !== null).map((t) => t.band!))].sort((a, b) => a - b)]));
  const topicGroupOf = (c: PairCell) => (protectionsOff ? pairKey(c) : passes(c, { ...NO_FILTERS, org: orgId }) ? "touching-own" : "rest");
  const topicGroups = new Map<string, PairCell[]>();
  for (const c of pairCells) {
    const key = pairKey(c);
    model.structural.push({ id: `acquired ≤ targeted ${key}`, terms: [{ v: v("TA", key), c: 1 }, { v: v("TT", key), c: -1 }], lower: null, upper: 0 });
    model.structural.push({ id: `targeted ≤ topics × pairs ${key}`, terms: [{ v: v("TT", key), c: 1 }, { v: v("pairs", key), c: -Math.max(1, topicIds.length) }], lower: null, upper: 0 });
    const g = topicGroupOf(c);
    let list = topicGroups.get(g);
    if (!list) topicGroups.set(g, (list = []));
    list.push(c);
  }
  if (topicIds.length > 0)
    for (const [g, inGroup] of topicGroups) {
      const pairsOf = inGroup.map((c) => ({ v: v("pairs", pairKey(c)), c: -1 }));
      for (const t of topicIds) {
        model.structural.push({ id: `acquired ≤ targeted ${t} ${g}`, terms: [{ v: v(`ta:${t}`, g), c: 1 }, { v: v(`tt:${t}`, g), c: -1 }], lower: null, upper: 0 });
        model.structural.push({ id: `targeted ≤ pairs ${t} ${g}`, terms: [{ v: v(`tt:${t}`, g), c: 1 }, ...pairsOf], lower: null, upper: 0 });
      }
      for (const [measure, total] of [["tt", "TT"], ["ta", "TA"]] as const)
        model.structural.push({
          id: `${measure} by topic = ${total} ${g}`,
          terms: [...topicIds.map((t) => ({ v: v(`${measure}:${t}`, g), c: 1 })), ...inGroup.map((c) => ({ v: v(total, pairKey(c)), c: -1 }))],
          lower: 0,
          upper: 0,
        });
      for (const cat of categories) {
        const bands = bandsOf.get(cat)!;
        if (bands.length === 0) continue;
        model.structural.push({
          id: `bands ${cat} ${g}`,
          terms: [...bands.map((b) => ({ v: v(`tb:${cat}:${b}`, g), c: 1 })), ...topicIds.filter((t) => categoryOf.get(t) === cat).map((t) => ({ v: v(`ta:${t}`, g), c: -1 }))],
          lower: 0,
          upper: 0,
        });
      }
    }
  // The true values, for the engine's consistency check and the findings.
  const pairById = new Map(data.pairs.map((p) => [p.pair_id, p]));
  const cellOfPair = new Map<string, string>();
  for (const p of data.pairs) {
    const key = pairKey(pairCellOf(p));
    cellOfPair.set(p.pair_id, key);
    const add = (m: string, x: number) => (model.truth[v(m, key)] += x);
    add("pairs", 1);
    if (p.is_active) add("active", 1);
    if (p.is_completed) add("completed", 1);
    if (p.is_ended_early) add("ended", 1);
    if (p.is_midpoint_flagged) add("flagged", 1);
    if (p.is_at_risk) add("at_risk", 1);
    if (p.has_regularity) {
      add("reg_n", 1);
      add("reg_sum", p.meeting_regularity);
    }
    if (p.end_reason) add(`ended:${p.end_reason}`, 1);
  }
  for (const t of data.topics) {
    const key = cellOfPair.get(t.pair_id);
    if (!key) continue;
    const g = topicGroupOf(pairCellOf(pairById.get(t.pair_id)!));
    model.truth[v("TT", key)] += 1;
    model.truth[v(`tt:${t.topic_id}`, g)] += 1;
    if (t.acquired) {
      model.truth[v("TA", key)] += 1;
      model.truth[v(`ta:${t.topic_id}`, g)] += 1;
    }
    if (t.band !== null) model.truth[v(`tb:${t.category}:${t.band}`, g)] += 1;
  }
  for (const a of data.answers) {
    const key = cellOfPair.get(a.pair_id);
    if (key) model.truth[v(`ans:${a.role}:${a.phase}:${a.score}`, key)] += 1;
  }
  const personKey = (c: PersonCell) => `${c.org}/${c.gen}/${c.role}@${c.month}`;
  const months = [...new Set(data.people.map((p) => p.month ?? "unmatched"))].sort();
  const personCells: PersonCell[] = [];
  for (const org of orgGroups) for (const g of gens) for (const role of ["mentor", "mentee"] as const) for (const month of months) personCells.push({ org, gen: g, role, month });
  for (const p of data.people) model.truth[v("people", personKey({ org: group(p.org), gen: gen(p.gen), role: p.role, month: p.month ?? "unmatched" }))] += 1;

  const sum = (measure: string, cells: PairCell[]): LinearTerm[] => cells.map((c) => ({ v: v(measure, pairKey(c)), c: 1 }));
  const answerTerms = (cells: PairCell[], roles: readonly Role[], phase: string, weight: (score: number) => number): LinearTerm[] =>
    cells.flatMap((c) => roles.flatMap((role) => [1, 2, 3, 4, 5].map((s) => ({ v: v(`ans:${role}:${phase}:${s}`, pairKey(c)), c: weight(s) })))).filter((t) => t.c !== 0);

  /** A count figure: a fact when shown, a protected cell when hidden (null with people behind it). */
  const count = (view: string, figure: string, terms: LinearTerm[], shown: number | null, people?: number) => {
    if (shown !== null) model.fact(view, figure, terms, shown);
    else model.hidden(view, figure, "count", terms, k, undefined, people);
  };
  /** A mean over answers: Σ (score − mean)·answers = 0 when shown; a protected mean when hidden. */
  const mean = (view: string, figure: string, cells: PairCell[], roles: readonly Role[], phase: string, shown: number | null) => {
    const n = answerTerms(cells, roles, phase, () => 1);
    if (shown !== null) model.fact(view, figure, answerTerms(cells, roles, phase, (s) => s - shown), 0, 1e-7 * Math.max(1, model.value(n)));
    else model.hidden(view, figure, "mean", answerTerms(cells, roles, phase, (s) => s), k, n);
  };

  // 1. The quality page, for every filter combination the reader can send.
  // Protections off, any date window is possible: the audit then takes the attacks' families
  // (every population filter without a window, every window without a population filter)
  // rather than their product, which keeps the demonstration's LP small.
  const filterSets = protectionsOff
    ? [...servedFilterSets(null, orgId, [{ from: null, to: null }], GENERATION_KEYS), ...servedFilterSets(null, orgId, periods, []).filter((f) => f.org === null && f.role === null && f.from !== null)]
    : servedFilterSets(space, orgId, periods, GENERATION_KEYS);
  let viewsCpu = 0;
  const renderQuality = async (f: Filters): Promise<QualityData> => {
    const t = process.cpuUsage();
    const out = (await getQuality(db, programId, { k, filters: f, individualsOrg: null, protectionsOff, orgId }))!;
    const d = process.cpuUsage(t);
    viewsCpu += (d.user + d.system) / 1000;
    return out;
  };
  const debug = (m: string) => request.onProgress?.(m);
  // Regularity by month: per group of pair cells that no filter splits (the organization and
  // generation pattern and the period block; protections off, the cell) × calendar month, the
  // pairs running that month and those with an offline meeting. A group's pairs run from its
  // first intake month on, at most all of them, and only fewer once its last intake month is past.
  const regGroupOf = (c: PairCell) => (protectionsOff ? pairKey(c) : `${c.mentorOrg}/${c.mentorGen}>${c.menteeOrg}/${c.menteeGen}#${blockOfMonth.get(c.time) ?? -1}`);
  const regSpan = (c: PairCell): [string, string] => {
    if (protectionsOff) return [c.time.slice(0, 7), c.time.slice(0, 7)];
    const months = [...(space.blocks[blockOfMonth.get(c.time) ?? -1]?.months ?? [c.time])].sort();
    return [months[0], months[months.length - 1]];
  };
  const regGroups = new Map<string, { cells: PairCell[]; first: string; last: string }>();
  for (const c of pairCells) {
    const g = regGroupOf(c);
    const entry = regGroups.get(g);
    if (entry) entry.cells.push(c);
    else regGroups.set(g, { cells: [c], first: regSpan(c)[0], last: regSpan(c)[1] });
  }
  let regMonths: string[] | null = null;
  const regTerms = (measure: "run" | "met", month: string, groups: Iterable<string>): LinearTerm[] =>
    [...groups].filter((g) => month >= regGroups.get(g)!.first).map((g) => ({ v: v(`${measure}:${month}`, g), c: 1 }));
  const modelRegularity = (months: string[]) => {
    regMonths = months;
    for (const [g, { cells, first, last }] of regGroups) {
      let previous: string | null = null;
      for (const m of months) {
        if (m < first) continue;
        const run = v(`run:${m}`, g);
        model.structural.push({ id: `met ≤ running ${m} ${g}`, terms: [{ v: v(`met:${m}`, g), c: 1 }, { v: run, c: -1 }], lower: null, upper: 0 });
        model.structural.push({ id: `running ≤ pairs ${m} ${g}`, terms: [{ v: run, c: 1 }, ...cells.map((c) => ({ v: v("pairs", pairKey(c)), c: -1 }))], lower: null, upper: 0 });
        if (previous !== null && m > last) model.structural.push({ id: `running falls after intake ${m} ${g}`, terms: [{ v: run, c: 1 }, { v: v(`run:${previous}`, g), c: -1 }], lower: null, upper: 0 });
        previous = m;
      }
    }
    for (const p of data.pairMonths) {
      const pair = pairById.get(p.pair_id);
      if (!pair) continue;
      const g = regGroupOf(pairCellOf(pair));
      for (const m of p.running) if (months.includes(m)) model.truth[v(`run:${m}`, g)] += 1;
      for (const m of p.met) if (months.includes(m)) model.truth[v(`met:${m}`, g)] += 1;
    }
  };

  debug(`${audience} of ${orgId}: ${filterSets.length} quality views and the report`);
  for (const f of filterSets) {
    const view = `quality page (${labelOf(f)})`;
    const q = await renderQuality(f);
    const cells = pairCells.filter((c) => passes(c, f));
    const roles: readonly Role[] = f.role ? [f.role] : ["mentor", "mentee"];
    const s = q.summary;
    count(view, "pairs", sum("pairs", cells), s.pairs);
    count(view, "active pairs", sum("active", cells), s.active_pairs);
    count(view, "completed pairs", sum("completed", cells), s.completed_pairs);
    count(view, "ended early", sum("ended", cells), s.ended_early_pairs);
    count(view, "flagged at mid-point", sum("flagged", cells), s.midpoint_flagged_pairs);
    count(view, "at risk", sum("at_risk", cells), s.at_risk_pairs);
    if (s.meeting_regularity !== null) {
      const n = model.value(sum("reg_n", cells));
      model.fact(view, "meeting regularity", [...sum("reg_sum", cells), ...sum("reg_n", cells).map((t) => ({ ...t, c: -s.meeting_regularity! }))], 0, 1e-7 * Math.max(1, n));
    }
    for (const phase of ["midpoint", "final"] as const) {
      mean(view, `${phase} satisfaction mean`, cells, roles, phase, s[`${phase}_satisfaction_mean`]);
      const respondents = s[`${phase}_respondents`];
      const n = answerTerms(cells, roles, phase, () => 1);
      // Respondents are distinct people: a count of answers only when nobody answered twice.
      if (respondents !== null && respondents === model.value(n)) model.fact(view, `${phase} respondents`, n, respondents);
      for (const bar of q.satisfaction.filter((b) => b.phase === phase)) {
        count(view, `${phase} satisfaction = ${bar.satisfaction}`, answerTerms(cells, roles, phase, (score) => (score === bar.satisfaction ? 1 : 0)), bar.answers);
      }
    }
    for (const r of q.terminations) count(view, `ended early: ${r.reason}`, sum(`ended:${r.reason}`, cells), r.pairs);
    if (regMonths === null) modelRegularity(q.regularity.map((r) => r.month));
    const groupsIn = new Set(cells.map(regGroupOf));
    for (const g of groupsIn) if (regGroups.get(g)!.cells.some((c) => !passes(c, f))) throw new Error(`audit: the regularity of ${view} splits a group of cells`);
    for (const r of q.regularity) {
      count(view, `running pairs ${r.month}`, regTerms("run", r.month, groupsIn), r.running_pairs);
      count(view, `pairs with a meeting ${r.month}`, regTerms("met", r.month, groupsIn), r.pairs_with_meeting);
    }
  }

  // 2. The topics page (totals, by topic, category, intake month and mentee generation, and
  // acquired topics by category × 15-day band), for every filter combination.
  for (const f of filterSets) {
    const view = `topics page (${labelOf(f)})`;
    const t0 = process.cpuUsage();
    const page = await getTopicsPage(db, programId, { audience, orgId, k, filters: f, protectionsOff } as Parameters<typeof getTopicsPage>[2]);
    const d0 = process.cpuUsage(t0);
    viewsCpu += (d0.user + d0.system) / 1000;
    if (!page) continue;
    const totalCells = pairCells.filter((c) => passes(c, f));
    // The tables follow the organization filter only for a protected reader (the page says which).
    const tableFilters: Filters = page.breakdowns_scope === "organization" ? { ...NO_FILTERS, org: f.org } : f;
    const cells = pairCells.filter((c) => passes(c, tableFilters));
    const rowsIn = data.topics.filter((t) => passes(pairCellOf(pairById.get(t.pair_id)!), tableFilters));
    const mentees = (rows: AuditTopic[]) => new Set(rows.map((t) => pairById.get(t.pair_id)!.mentee_id)).size;
    // The tables' population is a union of whole parts (checked: a part half in it would need per-cell unknowns).
    const parts = [...new Set(cells.map(topicGroupOf))];
    if (parts.some((g) => topicGroups.get(g)!.some((c) => !cells.includes(c)))) throw new Error(`audit: the topics tables of ${view} are not over whole parts`);
    const byTopic = (prefix: "tt" | "ta", ids: readonly string[]) => parts.flatMap((g) => ids.map((t) => ({ v: v(`${prefix}:${t}`, g), c: 1 })));
    const totals = (measure: "TT" | "TA", inCells: PairCell[]) => sum(measure, inCells);
    count(view, "topics targeted", totals("TT", totalCells), page.summary.topics_targeted);
    count(view, "topics acquired", totals("TA", totalCells), page.summary.topics_acquired);
    const rowFigures = (name: string, terms: (m: "targeted" | "acquired") => LinearTerm[], row: { topics_targeted: number | null; topics_acquired: number | null }, people: number) => {
      count(view, `${name}: targeted`, terms("targeted"), row.topics_targeted, people);
      count(view, `${name}: acquired`, terms("acquired"), row.topics_acquired, people);
    };
    for (const r of page.by_topic) rowFigures(`topic ${r.group}`, (m) => byTopic(m === "targeted" ? "tt" : "ta", [r.group]), r, mentees(rowsIn.filter((t) => t.topic_id === r.group)));
    for (const r of page.by_category) {
      const ids = topicIds.filter((t) => categoryOf.get(t) === r.group);
      rowFigures(`category ${r.group}`, (m) => byTopic(m === "targeted" ? "tt" : "ta", ids), r, mentees(rowsIn.filter((t) => t.category === r.group)));
    }
    for (const r of page.by_cohort)
      rowFigures(`intake ${r.group}`, (m) => totals(m === "targeted" ? "TT" : "TA", cells.filter((c) => c.time === r.group)), r, mentees(rowsIn.filter((t) => pairById.get(t.pair_id)!.month === r.group)));
    for (const r of page.by_generation)
      rowFigures(`mentees ${r.group}`, (m) => totals(m === "targeted" ? "TT" : "TA", cells.filter((c) => c.menteeGen === r.group)), r, mentees(rowsIn.filter((t) => gen(pairById.get(t.pair_id)!.mentee_gen) === r.group)));
    for (const r of page.days_to_acquire)
      count(view, `acquired ${r.topic_category} in days ${r.band_start_days}+`, parts.map((g) => ({ v: v(`tb:${r.topic_category}:${r.band_start_days}`, g), c: 1 })), r.topics_acquired, mentees(rowsIn.filter((t) => t.category === r.topic_category && t.band === r.band_start_days)));
  }

  // 3. The generations page (totals; participants by generation; the age pyramid and the
  // octaves per role; the generation matrix; the age gaps; its organization and "others"),
  // for every filter combination. Unknowns: per person cell, the people outside the 30–50
  // core; per pair cell, the reverse pairs and those whose mentor is the younger; per
  // organization group × role × 5-year band, the people and those outside the core (the
  // pyramid's tables follow the organization filter only for a protected reader, so a group is
  // all the page can tell apart); per part of the pairs (as for topics) × age-gap band, the
  // pairs and the cross-generation ones.
  const { genPeople, genPairs } = data;
  const personOf = new Map(data.people.map((p) => [p.id, p]));
  const personCellOf = (p: AuditPerson): PersonCell => ({ org: group(p.org), gen: gen(p.gen), role: p.role, month: p.month ?? "unmatched" });
  const ageBands = [...new Set(genPeople.map((p) => p.band))].sort((a, b) => a - b);
  const gapBands = [...new Set(genPairs.flatMap((p) => (p.gap_band === null ? [] : [p.gap_band])))].sort((a, b) => a - b);
  for (const c of personCells) model.structural.push({ id: `outside core ≤ people ${personKey(c)}`, terms: [{ v: v("oc", personKey(c)), c: 1 }, { v: v("people", personKey(c)), c: -1 }], lower: null, upper: 0 });
  for (const c of pairCells)
    for (const m of ["rev", "ym"]) model.structural.push({ id: `${m} ≤ pairs ${pairKey(c)}`, terms: [{ v: v(m, pairKey(c)), c: 1 }, { v: v("pairs", pairKey(c)), c: -1 }], lower: null, upper: 0 });
  const ageKey = (org: string, role: string) => `${org}/${role}`;
  for (const org of orgGroups)
    for (const role of ["mentor", "mentee"] as const) {
      const key = ageKey(org, role);
      const cellsOf = personCells.filter((c) => c.org === org && c.role === role);
      model.structural.push({ id: `bands = people ${key}`, terms: [...ageBands.map((b) => ({ v: v(`ab:${b}`, key), c: 1 })), ...cellsOf.map((c) => ({ v: v("people", personKey(c)), c: -1 }))], lower: 0, upper: 0 });
      model.structural.push({ id: `bands outside = outside ${key}`, terms: [...ageBands.map((b) => ({ v: v(`abo:${b}`, key), c: 1 })), ...cellsOf.map((c) => ({ v: v("oc", personKey(c)), c: -1 }))], lower: 0, upper: 0 });
      for (const b of ageBands) {
        model.structural.push({ id: `band outside ≤ band ${b} ${key}`, terms: [{ v: v(`abo:${b}`, key), c: 1 }, { v: v(`ab:${b}`, key), c: -1 }], lower: null, upper: 0 });
        // Bands 30–45 lie inside the core; bands under 30 wholly outside it.
        if (b >= 30 && b < 50) model.structural.push({ id: `core band ${b} ${key}`, terms: [{ v: v(`abo:${b}`, key), c: 1 }], lower: 0, upper: 0 });
        if (b < 30) model.structural.push({ id: `young band ${b} ${key}`, terms: [{ v: v(`abo:${b}`, key), c: 1 }, { v: v(`ab:${b}`, key), c: -1 }], lower: 0, upper: 0 });
      }
    }
  for (const [g, inGroup] of topicGroups) {
    model.structural.push({ id: `gap bands = pairs ${g}`, terms: [...gapBands.map((b) => ({ v: v(`gb:${b}`, g), c: 1 })), ...inGroup.map((c) => ({ v: v("pairs", pairKey(c)), c: -1 }))], lower: null, upper: 0 });
    const cross = inGroup.filter((c) => c.mentorGen !== c.menteeGen);
    model.structural.push({ id: `gap bands cross = cross ${g}`, terms: [...gapBands.map((b) => ({ v: v(`gbc:${b}`, g), c: 1 })), ...cross.map((c) => ({ v: v("pairs", pairKey(c)), c: -1 }))], lower: 0, upper: 0 });
    for (const b of gapBands) model.structural.push({ id: `gap cross ≤ gap ${b} ${g}`, terms: [{ v: v(`gbc:${b}`, g), c: 1 }, { v: v(`gb:${b}`, g), c: -1 }], lower: null, upper: 0 });
  }
  for (const p of genPeople) {
    const person = personOf.get(p.id);
    if (!person) continue;
    const c = personCellOf(person);
    if (p.outside_core) model.truth[v("oc", personKey(c))] += 1;
    model.truth[v(`ab:${p.band}`, ageKey(c.org, c.role))] += 1;
    if (p.outside_core) model.truth[v(`abo:${p.band}`, ageKey(c.org, c.role))] += 1;
  }
  for (const p of genPairs) {
    const pair = pairById.get(p.pair_id);
    if (!pair) continue;
    const c = pairCellOf(pair);
    if (p.reverse) model.truth[v("rev", pairKey(c))] += 1;
    if (p.younger_mentor) model.truth[v("ym", pairKey(c))] += 1;
    if (p.gap_band !== null) {
      model.truth[v(`gb:${p.gap_band}`, topicGroupOf(c))] += 1;
      if (c.mentorGen !== c.menteeGen) model.truth[v(`gbc:${p.gap_band}`, topicGroupOf(c))] += 1;
    }
  }
  const personPasses = (c: PersonCell, f: Filters): boolean => {
    if (f.org !== null && !(c.org === "own" && f.org === orgId)) return false;
    if (f.generation !== null && c.gen !== f.generation) return false;
    if (f.role !== null && c.role !== f.role) return false;
    if (f.from === null && f.to === null && f.cohort === null) return true;
    return c.month !== "unmatched" && inPeriod(c.month, f);
  };
  const peopleIn = (inCells: PersonCell[], m = "people") => inCells.map((c) => ({ v: v(m, personKey(c)), c: 1 }));
  for (const f of filterSets) {
    const view = `generations page (${labelOf(f)})`;
    const t0 = process.cpuUsage();
    const page = await getGenerationsPage(db, programId, { audience, orgId, k, filters: f });
    const d0 = process.cpuUsage(t0);
    viewsCpu += (d0.user + d0.system) / 1000;
    if (!page) continue;
    const tableFilters: Filters = page.tables_scope === "organization" ? { ...NO_FILTERS, org: f.org } : f;
    const viewPeople = personCells.filter((c) => personPasses(c, f));
    const viewPairs = pairCells.filter((c) => passes(c, f));
    const tablePeople = personCells.filter((c) => personPasses(c, tableFilters));
    const tablePairs = pairCells.filter((c) => passes(c, tableFilters));
    const sm = page.summary;
    count(view, "participants", peopleIn(viewPeople), sm.participants);
    count(view, "outside the core", peopleIn(viewPeople, "oc"), sm.participants_outside_core);
    count(view, "pairs", sum("pairs", viewPairs), sm.pairs);
    count(view, "cross-generation pairs", sum("pairs", viewPairs.filter((c) => c.mentorGen !== c.menteeGen)), sm.pairs_cross_generation);
    count(view, "reverse pairs", sum("rev", viewPairs), sm.pairs_reverse);
    count(view, "younger mentor", sum("ym", viewPairs), sm.pairs_younger_mentor);
    const truePeople = (pred: (p: AuditPerson) => boolean) => data.people.filter((p) => personPasses(personCellOf(p), tableFilters) && pred(p)).length;
    for (const [g, n] of Object.entries(sm.participants_by_generation))
      count(view, `participants ${g}`, peopleIn(tablePeople.filter((c) => c.gen === g)), n, truePeople((p) => gen(p.gen) === g));
    // The pyramid and the octaves: over whole organization groups (checked).
    const ageGroups = [...new Set(tablePeople.map((c) => c.org))];
    if (ageGroups.some((o) => personCells.some((c) => c.org === o && !tablePeople.includes(c)))) throw new Error(`audit: the age tables of ${view} are not over whole organization groups`);
    const bandOf = new Map(genPeople.map((p) => [p.id, p]));
    for (const r of page.pyramid) {
      const terms = (m: "ab" | "abo") => ageGroups.map((o) => ({ v: v(`${m}:${r.band_start_years}`, ageKey(o, r.role)), c: 1 }));
      const people = truePeople((p) => p.role === r.role && bandOf.get(p.id)?.band === r.band_start_years);
      count(view, `pyramid ${r.role} ${r.band_start_years}`, terms("ab"), r.participants, people);
      // Only the band 50–54 mixes ages inside (50) and outside (51+) the core: elsewhere the
      // share outside follows from the band, a definition and no secret.
      if (!page.withheld_columns.includes(`outside ${r.role}`) && (r.participants_outside_core !== null || r.band_start_years === 50)) count(view, `pyramid ${r.role} ${r.band_start_years} outside the core`, terms("abo"), r.participants_outside_core, people);
    }
    for (const r of page.octaves) {
      const bands = ageBands.filter((b) => (r.octave === "low" ? b < 30 : r.octave === "high" ? b >= 50 : b >= 30 && b <= 50));
      const terms =
        r.octave === "core"
          ? ageGroups.flatMap((o) => bands.flatMap((b) => [{ v: v(`ab:${b}`, ageKey(o, r.role)), c: 1 }, { v: v(`abo:${b}`, ageKey(o, r.role)), c: -1 }]))
          : ageGroups.flatMap((o) => bands.map((b) => ({ v: v(`abo:${b}`, ageKey(o, r.role)), c: 1 })));
      count(view, `octave ${r.role} ${r.octave}`, terms, r.participants, truePeople((p) => p.role === r.role && bandOf.get(p.id)?.octave === r.octave));
    }
    const truePairs = (pred: (p: AuditPair) => boolean) => {
      const inTable = data.pairs.filter((p) => passes(pairCellOf(p), tableFilters) && pred(p));
      return new Set(inTable.map((p) => p.mentee_id)).size + new Set(inTable.map((p) => p.mentor_id)).size;
    };
    for (const r of page.matrix) {
      const inRow = tablePairs.filter((c) => c.mentorGen === gen(r.mentor_generation) && c.menteeGen === gen(r.mentee_generation));
      const people = truePairs((p) => gen(p.mentor_gen) === gen(r.mentor_generation) && gen(p.mentee_gen) === gen(r.mentee_generation));
      count(view, `matrix ${r.mentor_generation} × ${r.mentee_generation}`, sum("pairs", inRow), r.pairs, people);
      if (!page.withheld_columns.includes("reverse")) count(view, `matrix ${r.mentor_generation} × ${r.mentee_generation} reverse`, sum("rev", inRow), r.pairs_reverse, people);
    }
    const parts = [...new Set(tablePairs.map(topicGroupOf))];
    const gapOf = new Map(genPairs.map((p) => [p.pair_id, p.gap_band]));
    for (const r of page.age_gaps) {
      const people = truePairs((p) => gapOf.get(p.pair_id) === r.band_start_years);
      count(view, `age gap ${r.band_start_years}`, parts.map((g) => ({ v: v(`gb:${r.band_start_years}`, g), c: 1 })), r.pairs, people);
      if (!page.withheld_columns.includes("cross")) count(view, `age gap ${r.band_start_years} cross-generation`, parts.map((g) => ({ v: v(`gbc:${r.band_start_years}`, g), c: 1 })), r.pairs_cross_generation, people);
    }
    for (const r of page.by_organization) {
      const want = r.group_key === orgId ? "own" : "other";
      const inGroup = tablePeople.filter((c) => c.org === want);
      const groupPairs = tablePairs.filter((c) => c.mentorOrg === want || c.menteeOrg === want);
      const people = truePeople((p) => group(p.org) === want);
      count(view, `organization ${r.group_key} participants`, peopleIn(inGroup), r.participants, people);
      if (!page.withheld_columns.includes("outside")) count(view, `organization ${r.group_key} outside the core`, peopleIn(inGroup, "oc"), r.participants_outside_core, people);
      count(view, `organization ${r.group_key} pairs`, sum("pairs", groupPairs), r.pairs, people);
      if (!page.withheld_columns.includes("cross")) count(view, `organization ${r.group_key} cross-generation`, sum("pairs", groupPairs.filter((c) => c.mentorGen !== c.menteeGen)), r.pairs_cross_generation, people);
      if (!page.withheld_columns.includes("reverse")) count(view, `organization ${r.group_key} reverse`, sum("rev", groupPairs), r.pairs_reverse, people);
    }
  }

  // 4. The costs page. Money is not about people (cost lines are not attributed to them) and
  // the date filters apply to the cost lines only; its denominators are: the participants,
  // matched mentees, completed pairs and acquired topics of the program or, filtered, of the
  // reader's organization (a pair and its topics count for its mentee's organization), and the
  // participants and matched mentees of the reader's organization and of "others".
  const costOrgs = [...new Set(filterSets.map((f) => f.org))];
  for (const org of costOrgs) {
    const f: Filters = { ...NO_FILTERS, org };
    const view = `costs page (${labelOf(f)})`;
    const t0 = process.cpuUsage();
    const page = await getCostsPage(db, programId, { audience, orgId, k, filters: f });
    const d0 = process.cpuUsage(t0);
    viewsCpu += (d0.user + d0.system) / 1000;
    if (!page) continue;
    const inOrg = (c: PersonCell) => org === null || (c.org === "own" && org === orgId);
    const matched = (c: PersonCell) => c.role === "mentee" && c.month !== "unmatched";
    const pairsOf = pairCells.filter((c) => org === null || (c.menteeOrg === "own" && org === orgId));
    const sm = page.summary;
    count(view, "participants", peopleIn(personCells.filter(inOrg)), sm.participants);
    count(view, "matched mentees", peopleIn(personCells.filter((c) => inOrg(c) && matched(c))), sm.matched_mentees);
    count(view, "completed pairs", sum("completed", pairsOf), sm.pairs_completed);
    count(view, "topics acquired", sum("TA", pairsOf), sm.topics_acquired);
    for (const r of page.by_organization) {
      if (r.group_key !== orgId && r.group_key !== "others") throw new Error(`audit: the costs page names ${r.group_key} to a protected reader`);
      const want = r.group_key === orgId ? "own" : "other";
      const cellsOf = personCells.filter((c) => c.org === want && inOrg(c));
      const people = data.people.filter((p) => group(p.org) === want).length;
      count(view, `organization ${r.group_key} participants`, peopleIn(cellsOf), r.participants, people);
      count(view, `organization ${r.group_key} matched mentees`, peopleIn(cellsOf.filter(matched)), r.matched_mentees, people);
    }
  }

  // 5. The report JSON (the overview and the print view show the same figures).
  const t = process.cpuUsage();
  const report = (await getProgramReport(db, programId, { audience, orgId, k })) as ProgramReport;
  const d = process.cpuUsage(t);
  viewsCpu += (d.user + d.system) / 1000;
  const rv = "report JSON";
  count(rv, "pairs.total", sum("pairs", pairCells), report.pairs.total);
  count(rv, "pairs.active", sum("active", pairCells), report.pairs.active);
  count(rv, "pairs.completed", sum("completed", pairCells), report.pairs.completed);
  count(rv, "pairs.ended_early", sum("ended", pairCells), report.pairs.ended_early);
  count(rv, "quality.midpoint_flagged_pairs", sum("flagged", pairCells), report.quality.midpoint_flagged_pairs);
  count(rv, "quality.at_risk_pairs", sum("at_risk", pairCells), report.quality.at_risk_pairs);
  mean(rv, "quality.midpoint_satisfaction_mean", pairCells, ["mentor", "mentee"], "midpoint", report.quality.midpoint_satisfaction_mean);
  mean(rv, "quality.final_satisfaction_mean", pairCells, ["mentor", "mentee"], "final", report.quality.final_satisfaction_mean);
  const people = (pred: (c: PersonCell) => boolean): LinearTerm[] => personCells.filter(pred).map((c) => ({ v: v("people", personKey(c)), c: 1 }));
  count(rv, "participants.total", people(() => true), report.participants.total);
  count(rv, "participants.mentors", people((c) => c.role === "mentor"), report.participants.mentors);
  count(rv, "participants.mentees", people((c) => c.role === "mentee"), report.participants.mentees);
  for (const [g, n] of Object.entries(report.generations.participants_by_generation)) count(rv, `participants_by_generation.${g}`, people((c) => c.gen === g), n);
  const member = (pred: (org: "own" | "other", g: string, role: Role) => boolean) =>
    pairCells.filter((c) => pred(c.mentorOrg, c.mentorGen, "mentor") || pred(c.menteeOrg, c.menteeGen, "mentee"));
  const breakdowns: [string, (typeof report.breakdowns)["by_organization"], (row: string) => { person: (c: PersonCell) => boolean; side: (org: "own" | "other", g: string, role: Role) => boolean } | null][] = [
    ["by_organization", report.breakdowns.by_organization, (row) => {
      const want = row === orgId ? "own" : "other";
      return { person: (c) => c.org === want, side: (org) => org === want };
    }],
    ["by_generation", report.breakdowns.by_generation, (row) => ({ person: (c) => c.gen === row, side: (_o, g) => g === row })],
    ["by_role", report.breakdowns.by_role, (row) => ({ person: (c) => c.role === row, side: (_o, _g, role) => role === row })],
    ["by_cohort", report.breakdowns.by_cohort, (row) => ({ person: (c) => c.month === row, side: () => false })],
  ];
  for (const [name, rows, define] of breakdowns) {
    for (const row of rows) {
      const def = define(row.group);
      if (!def) continue;
      const figure = `breakdowns.${name}.${row.group}`;
      count(rv, `${figure}.participants`, people(def.person), row.participants);
      if (name !== "by_cohort") count(rv, `${figure}.pairs`, sum("pairs", member(def.side)), row.pairs);
      if (name === "by_organization" || name === "by_generation") {
        // Answers given by the group's members: each side's answers in the cells where that side is in the group.
        const terms = (weight: (s: number) => number) =>
          pairCells.flatMap((c) =>
            (["mentor", "mentee"] as const)
              .filter((role) => (role === "mentor" ? def.side(c.mentorOrg, c.mentorGen, "mentor") : def.side(c.menteeOrg, c.menteeGen, "mentee")))
              .flatMap((role) => [1, 2, 3, 4, 5].map((s) => ({ v: v(`ans:${role}:midpoint:${s}`, pairKey(c)), c: weight(s) }))),
          ).filter((t) => t.c !== 0);
        const shown = row.midpoint_satisfaction_mean;
        if (shown !== null) model.fact(rv, `${figure}.midpoint_satisfaction_mean`, terms((s) => s - shown), 0, 1e-7 * Math.max(1, model.value(terms(() => 1))));
        else if (row.suppressed || row.suppressed_fields.includes("midpoint_satisfaction_mean")) model.hidden(rv, `${figure}.midpoint_satisfaction_mean`, "mean", terms((s) => s), k, terms(() => 1));
      }
    }
  }

  debug(`${audience} of ${orgId}: ${model.facts.length} published figures, ${model.cells.length} sensitive hidden cells, ${model.names.length} unknowns: solving`);
  const ranges = await auditRanges({
    variables: model.names.map((name) => ({ name, lower: 0, upper: null })),
    facts: model.facts,
    structural: model.structural,
    cells: model.cells,
  }, { skipLowerWhenWide: true, onStats: (st) => debug(`${audience} of ${orgId}: ${st.lpSolves} LP solves (${st.countsFromPoints} counts shown wide by optima already found), largest group ${st.largestComponent.variables} unknowns × ${st.largestComponent.rows} rows`) });
  const findings = ranges
    .filter((r) => !r.ok)
    .map((r): AuditFinding => ({ view: r.view, figure: r.id.slice(r.view.length + 3), kind: r.kind, trueValue: r.trueValue, min: r.min, max: r.max, values: r.values ?? null, pinnedViews: r.pinnedViews }));
  const cpu = process.cpuUsage(cpuStart);
  return {
    programId,
    audience,
    orgId,
    k,
    protectionsOff,
    views: filterSets.length + 1,
    facts: model.facts.length,
    hiddenCells: model.cells.length,
    hiddenFigures: model.hiddenSeen,
    findings,
    ok: findings.length === 0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    viewsCpuMs: viewsCpu,
    refused: false,
  };
}
