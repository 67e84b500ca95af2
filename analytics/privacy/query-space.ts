/**
 * The query-space control of the disclosure policy (docs/privacy.md, "What a protected
 * audience can ask"). Pure: takes the program's pairs and people as the filters see them and
 * decides, once per program, audience organization and k:
 *
 * - **periods**: the intake months merged, oldest first, into blocks of whole months that each
 *   hold 0 or at least k distinct people (among the pairs matched in them, and among the people
 *   first matched in them). A date window or cohort is widened to whole blocks, so two windows
 *   can only differ by whole blocks: never by one pair matched on one day.
 * - **population filters**: a combination of the dimensions organization (own / other
 *   organizations), generation, role and period is accepted only when every cell of the
 *   partition it induces holds 0 or at least k distinct people — for participants, and for
 *   pairs (cells by the mentor's and the mentee's class, counted as distinct members). Then any
 *   sum or difference of accepted views is a sum of whole cells: no combination of views
 *   isolates fewer than k people. A combination that fails is refused, the page says why.
 *
 * What this does not decide (breakdowns inside a view, linked figures) is in
 * analytics/metrics/suppression.ts and analytics/privacy/linked.ts.
 */
import type { Filters, FilterNotice } from "../domain/filters.ts";

export const DIMENSIONS = ["org", "generation", "role", "period"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface SpacePair {
  mentor_id: string;
  mentee_id: string;
  /** Intake month of the pair, YYYY-MM. */
  month: string;
  mentor_org: string | null;
  mentee_org: string | null;
  mentor_gen: string | null;
  mentee_gen: string | null;
}

export interface SpacePerson {
  id: string;
  org: string | null;
  gen: string | null;
  role: string;
  /** Month of the first match, YYYY-MM; null when never matched. */
  month: string | null;
}

/** Whole intake months taken together: `from` is the first day, `to` the last day. */
export interface PeriodBlock {
  months: string[];
  from: string;
  to: string;
}

export interface QuerySpace {
  k: number;
  /** The reader's organization: the only one a protected audience may filter on. */
  ownOrg: string | null;
  blocks: PeriodBlock[];
  /** Accepted dimension sets, as `dimensionKey` strings. */
  accepted: ReadonlySet<string>;
  /** For each refused dimension set, the smallest non-empty cell (for the notice, never shown as a number). */
  refused: ReadonlySet<string>;
  /** Participants of the program: a program of 1 to k − 1 people shows a protected reader no figure. */
  people: number;
}

/** Whether the whole program is a group under k: a protected reader gets none of its views. */
export function programTooSmall(space: QuerySpace): boolean {
  return space.people > 0 && space.people < space.k;
}

/** The canonical key of a set of dimensions: sorted, joined by "+" ("" for none). */
export function dimensionKey(dims: Iterable<Dimension>): string {
  return [...new Set(dims)].sort((a, b) => DIMENSIONS.indexOf(a) - DIMENSIONS.indexOf(b)).join("+");
}

/** Every subset of the four dimensions (16), smallest first. */
export function allDimensionSets(): Dimension[][] {
  const sets: Dimension[][] = [];
  for (let mask = 0; mask < 1 << DIMENSIONS.length; mask++) sets.push(DIMENSIONS.filter((_, i) => mask & (1 << i)));
  return sets.sort((a, b) => a.length - b.length);
}

function lastDay(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Merges the intake months into blocks that each hold 0 or ≥ k distinct people, oldest first;
 * a short last block joins the one before it.
 */
export function periodBlocks(pairs: readonly SpacePair[], people: readonly SpacePerson[], k: number): PeriodBlock[] {
  const months = [...new Set([...pairs.map((p) => p.month), ...people.flatMap((p) => (p.month ? [p.month] : []))])].sort();
  const pairPeople = new Map<string, Set<string>>();
  for (const p of pairs) {
    let set = pairPeople.get(p.month);
    if (!set) pairPeople.set(p.month, (set = new Set()));
    set.add(p.mentor_id).add(p.mentee_id);
  }
  const firstMatched = new Map<string, number>();
  for (const p of people) if (p.month) firstMatched.set(p.month, (firstMatched.get(p.month) ?? 0) + 1);

  const safe = (ms: string[]) => {
    const members = new Set<string>();
    let first = 0;
    for (const m of ms) {
      for (const id of pairPeople.get(m) ?? []) members.add(id);
      first += firstMatched.get(m) ?? 0;
    }
    return (members.size === 0 || members.size >= k) && (first === 0 || first >= k);
  };
  const groups: string[][] = [];
  let current: string[] = [];
  for (const m of months) {
    current.push(m);
    if (safe(current)) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) {
    if (groups.length > 0) groups[groups.length - 1].push(...current);
    else groups.push(current);
  }
  return groups.map((ms) => ({ months: ms, from: `${ms[0]}-01`, to: lastDay(ms[ms.length - 1]) }));
}

function blockOf(blocks: readonly PeriodBlock[]): (month: string | null) => string {
  const index = new Map<string, string>();
  blocks.forEach((b, i) => b.months.forEach((m) => index.set(m, String(i))));
  return (month) => (month === null ? "none" : (index.get(month) ?? "none"));
}

/**
 * The program's people and pairs with every value a partition looks at replaced by a small
 * integer (the same value, the same integer), made once per query space: the 16 partitions
 * then count cells by number rather than by joined strings (seconds at 200,000 participants).
 */
interface CodedProgram {
  people: { org: Uint8Array; gen: Int32Array; role: Int32Array; period: Int32Array };
  pairs: { mentorOrg: Uint8Array; mentorGen: Int32Array; menteeOrg: Uint8Array; menteeGen: Int32Array; period: Int32Array; mentor: Int32Array; mentee: Int32Array };
  /** How many distinct values each coded field takes (the radix of a cell's number). */
  gens: number;
  roles: number;
  periods: number;
}

function interner(): { code(value: string): number; readonly size: number } {
  const codes = new Map<string, number>();
  return {
    code(value) {
      let c = codes.get(value);
      if (c === undefined) codes.set(value, (c = codes.size));
      return c;
    },
    get size() {
      return codes.size;
    },
  };
}

function codeProgram(pairs: readonly SpacePair[], people: readonly SpacePerson[], ownOrg: string | null, block: (month: string | null) => string): CodedProgram {
  const orgGroup = (org: string | null) => (org !== null && org === ownOrg ? 1 : 0);
  const gens = interner();
  const roles = interner();
  const periods = interner();
  const ids = interner();
  const coded: CodedProgram = {
    people: { org: new Uint8Array(people.length), gen: new Int32Array(people.length), role: new Int32Array(people.length), period: new Int32Array(people.length) },
    pairs: {
      mentorOrg: new Uint8Array(pairs.length),
      mentorGen: new Int32Array(pairs.length),
      menteeOrg: new Uint8Array(pairs.length),
      menteeGen: new Int32Array(pairs.length),
      period: new Int32Array(pairs.length),
      mentor: new Int32Array(pairs.length),
      mentee: new Int32Array(pairs.length),
    },
    gens: 0,
    roles: 0,
    periods: 0,
  };
  people.forEach((p, i) => {
    coded.people.org[i] = orgGroup(p.org);
    coded.people.gen[i] = gens.code(String(p.gen));
    coded.people.role[i] = roles.code(p.role);
    coded.people.period[i] = periods.code(block(p.month));
  });
  pairs.forEach((p, i) => {
    coded.pairs.mentorOrg[i] = orgGroup(p.mentor_org);
    coded.pairs.mentorGen[i] = gens.code(String(p.mentor_gen));
    coded.pairs.menteeOrg[i] = orgGroup(p.mentee_org);
    coded.pairs.menteeGen[i] = gens.code(String(p.mentee_gen));
    coded.pairs.period[i] = periods.code(block(p.month));
    coded.pairs.mentor[i] = ids.code(p.mentor_id);
    coded.pairs.mentee[i] = ids.code(p.mentee_id);
  });
  coded.gens = Math.max(1, gens.size);
  coded.roles = Math.max(1, roles.size);
  coded.periods = Math.max(1, periods.size);
  return coded;
}

/**
 * Whether every cell of the partition that `dims` induces holds 0 or ≥ k distinct people: the
 * participants by organization group (own / other), generation, role and period block; the
 * pairs by the mentor's and the mentee's organization group and generation and by period
 * block, counted as distinct members.
 */
function partitionIsSafe(dims: readonly Dimension[], program: CodedProgram, k: number): boolean {
  const org = dims.includes("org") ? 1 : 0;
  const gen = dims.includes("generation") ? 1 : 0;
  const role = dims.includes("role") ? 1 : 0;
  const period = dims.includes("period") ? 1 : 0;
  const { gens, roles, periods } = program;
  const people = program.people;
  const personCells = new Map<number, number>();
  for (let i = 0; i < people.org.length; i++) {
    const key = ((org * people.org[i] * gens + gen * people.gen[i]) * roles + role * people.role[i]) * periods + period * people.period[i];
    personCells.set(key, (personCells.get(key) ?? 0) + 1);
  }
  for (const n of personCells.values()) if (n > 0 && n < k) return false;
  const pairs = program.pairs;
  const pairCells = new Map<number, Set<number>>();
  for (let i = 0; i < pairs.mentor.length; i++) {
    const mentorSide = org * pairs.mentorOrg[i] * gens + gen * pairs.mentorGen[i];
    const menteeSide = org * pairs.menteeOrg[i] * gens + gen * pairs.menteeGen[i];
    const key = (mentorSide * 2 * gens + menteeSide) * periods + period * pairs.period[i];
    let set = pairCells.get(key);
    if (!set) pairCells.set(key, (set = new Set()));
    set.add(pairs.mentor[i]).add(pairs.mentee[i]);
  }
  for (const set of pairCells.values()) if (set.size > 0 && set.size < k) return false;
  return true;
}

/** The query space of one program for a protected reader of `ownOrg` with threshold k. */
export function buildQuerySpace(pairs: readonly SpacePair[], people: readonly SpacePerson[], k: number, ownOrg: string | null): QuerySpace {
  const blocks = periodBlocks(pairs, people, k);
  const program = codeProgram(pairs, people, ownOrg, blockOf(blocks));
  const accepted = new Set<string>();
  const refused = new Set<string>();
  for (const dims of allDimensionSets()) {
    const key = dimensionKey(dims);
    // A set is accepted only if every subset is: keeps the family closed under dropping a filter.
    const subsetsOk = dims.every((d) => accepted.has(dimensionKey(dims.filter((x) => x !== d))));
    if ((dims.length === 0 || subsetsOk) && partitionIsSafe(dims, program, k)) accepted.add(key);
    else refused.add(key);
  }
  return { k, ownOrg, blocks, accepted, refused, people: people.length };
}

/** The dimensions a set of filters uses. */
export function dimensionsOf(filters: Filters): Dimension[] {
  const dims: Dimension[] = [];
  if (filters.org !== null) dims.push("org");
  if (filters.generation !== null) dims.push("generation");
  if (filters.role !== null) dims.push("role");
  if (filters.cohort !== null || filters.from !== null || filters.to !== null) dims.push("period");
  return dims;
}

/** The order in which refused filters are dropped: the finest first. */
const DROP_ORDER: (keyof Filters)[] = ["generation", "role", "from", "org"];

/**
 * Applies the query space to parsed filters: another organization is refused (`scope`); a
 * period is widened to whole blocks (`coarsened`, naming the window used); then filters are
 * dropped, finest first, until the combination is accepted (`privacy`). Pure.
 */
export function controlFilters(space: QuerySpace, input: Filters): { filters: Filters; notices: FilterNotice[] } {
  const filters: Filters = { ...input };
  const notices: FilterNotice[] = [];
  if (filters.org !== null && filters.org !== space.ownOrg) {
    notices.push({ name: "org", value: filters.org, reason: "scope" });
    filters.org = null;
  }
  if (filters.cohort !== null || filters.from !== null || filters.to !== null) {
    const from = filters.cohort ? `${filters.cohort}-01` : filters.from;
    const to = filters.cohort ? lastDay(filters.cohort) : filters.to;
    const overlapping = space.blocks.filter((b) => (from === null || b.to >= from) && (to === null || b.from <= to));
    const snapped =
      overlapping.length === 0
        ? // A window with no intake at all: keep it, it selects nobody.
          { from, to }
        : { from: from === null ? null : overlapping[0].from, to: to === null ? null : overlapping[overlapping.length - 1].to };
    const requested = filters.cohort ?? `${filters.from ?? "…"}..${filters.to ?? "…"}`;
    if (filters.cohort !== null || snapped.from !== filters.from || snapped.to !== filters.to) {
      // A cohort that is a whole block on its own stays a cohort.
      const sameCohort = filters.cohort !== null && overlapping.length === 1 && overlapping[0].months.length === 1 && overlapping[0].months[0] === filters.cohort;
      if (!sameCohort) {
        notices.push({ name: filters.cohort !== null ? "cohort" : "from", value: requested, reason: "coarsened", detail: `${snapped.from ?? "…"}..${snapped.to ?? "…"}` });
        filters.cohort = null;
        filters.from = snapped.from;
        filters.to = snapped.to;
      }
    }
  }
  for (const name of DROP_ORDER) {
    if (space.accepted.has(dimensionKey(dimensionsOf(filters)))) break;
    if (name === "from") {
      if (filters.from === null && filters.to === null && filters.cohort === null) continue;
      notices.push({ name: filters.cohort !== null ? "cohort" : "from", value: filters.cohort ?? `${filters.from ?? "…"}..${filters.to ?? "…"}`, reason: "privacy" });
      filters.cohort = filters.from = filters.to = null;
      continue;
    }
    const value = filters[name];
    if (value === null) continue;
    notices.push({ name, value, reason: "privacy" });
    (filters as unknown as Record<string, string | null>)[name] = null;
  }
  return { filters, notices };
}

/** The date windows a reader can ask for, as the query space serves them: every run of whole blocks, and none. */
export function blockWindows(space: QuerySpace): { from: string | null; to: string | null }[] {
  const windows: { from: string | null; to: string | null }[] = [{ from: null, to: null }];
  for (let i = 0; i < space.blocks.length; i++) for (let j = i; j < space.blocks.length; j++) windows.push({ from: space.blocks[i].from, to: space.blocks[j].to });
  return windows;
}

/**
 * Every filter combination a reader of `orgId` can send (organization, generation, role, and
 * each of `windows`), as the query space serves it — deduplicated: the finite set of views an
 * audience can reach. With no space (the audit's protections-off mode), as sent.
 */
export function servedFilterSets(space: QuerySpace | null, orgId: string, windows: readonly { from: string | null; to: string | null }[], generations: readonly string[]): Filters[] {
  const seen = new Map<string, Filters>();
  for (const org of [null, orgId])
    for (const generation of [null, ...generations])
      for (const role of [null, "mentor", "mentee"] as const)
        for (const w of windows) {
          const raw = { cohort: null, org, generation, role, from: w.from, to: w.to } as Filters;
          const served = space ? controlFilters(space, raw).filters : raw;
          seen.set(JSON.stringify(served), served);
        }
  return [...seen.values()];
}

/**
 * The canonical name of the population a served filter combination selects: two spellings of
 * the same window (a cohort that is a block, from–to, from alone) get the same key, so a figure
 * withheld for one is withheld for all.
 */
export function populationKey(space: QuerySpace, filters: Filters): string {
  let period = "*";
  if (filters.cohort !== null || filters.from !== null || filters.to !== null) {
    const from = filters.cohort ? `${filters.cohort}-01` : filters.from;
    const to = filters.cohort ? lastDay(filters.cohort) : filters.to;
    const selected = space.blocks.map((b, i) => ((from === null || b.to >= from) && (to === null || b.from <= to) ? i : -1)).filter((i) => i >= 0);
    period = selected.length === space.blocks.length ? "*" : selected.length === 0 ? "none" : `${selected[0]}-${selected[selected.length - 1]}`;
  }
  return `org=${filters.org ?? "*"}&generation=${filters.generation ?? "*"}&role=${filters.role ?? "*"}&blocks=${period}`;
}
