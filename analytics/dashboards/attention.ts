/**
 * The attention list's vocabulary and the part of it that runs on rows already read (pure: the
 * route, the CSV download and the tests share it): the list's own URL parameters (category,
 * reason, sort, direction, page — the filters bar's filters are parsed by filters.ts), and the
 * selection, ordering and paging of the pairs that `getAttention` (attention.server.ts) read.
 *
 * Ordering never changes membership: the categories come first, always in the order below, and
 * the sort orders the pairs within each category. The default sort is the early-warning score,
 * highest risk first; pairs without a score (matched less than a month ago, or no model) follow,
 * oldest match first. When the model has no horizon with enough data, "risk" orders by matched
 * date (oldest first) and the page says so.
 */

import { serializeFilters, type Filters } from "../domain/filters.ts";

export const ATTENTION_CATEGORIES = ["needs_check_in", "too_early", "on_track"] as const;
export type AttentionCategory = (typeof ATTENTION_CATEGORIES)[number];

/** The at-risk reasons (a pair that needs a check-in has at least one). */
export const ATTENTION_REASONS = ["flagged_at_midpoint", "no_midpoint_evaluation", "no_recent_meeting"] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

export const ATTENTION_SORTS = ["risk", "matched", "last_meeting", "pair"] as const;
export type AttentionSort = (typeof ATTENTION_SORTS)[number];

/** Pairs per page of the list (the CSV has them all). */
export const ATTENTION_PAGE_SIZE = 50;

export interface AttentionPair {
  pair_id: string;
  /** null: a member of another organization than the reader's (hr). */
  mentor_id: string | null;
  mentor_org_id: string | null;
  mentee_id: string | null;
  mentee_org_id: string | null;
  matched_at: string;
  last_meeting_date: string | null;
  days_since_match: number;
  category: AttentionCategory;
  flagged_at_midpoint: boolean;
  no_midpoint_evaluation: boolean;
  no_recent_meeting: boolean;
  /** The early-warning probability of ending early within the next 3 months; null: not scored. */
  risk: number | null;
  /** The horizon (months after matching) whose model scored the pair; null: not scored. */
  risk_month: number | null;
}

export interface AttentionData {
  as_of: string;
  /** The program's end date when it is past (the list then shows the pairs as they stood that day), else null. */
  ended_on: string | null;
  /** "risk": the early-warning model scored pairs; "matched": it reported insufficient_data at every horizon. */
  ordering: "risk" | "matched";
  /** The model's insufficient_data messages when `ordering` is "matched". */
  model_messages: string[];
  /**
   * true: the early-warning model was still being fitted when the list was asked for (a minute
   * or more on a loaded machine for a program of 100,000 pairs), so `ordering` is "matched" for
   * now; the list is not kept, and a later request orders it by risk (pages.server.ts).
   */
  model_pending: boolean;
  /** Every visible active pair, by category then by the default order. */
  pairs: AttentionPair[];
}

export interface AttentionQuery {
  category: AttentionCategory | null;
  reason: AttentionReason | null;
  sort: AttentionSort;
  dir: "asc" | "desc";
  page: number;
}

/** The natural direction of each sort: highest risk, oldest match, oldest meeting (none first), pair id. */
export const DEFAULT_DIR: Record<AttentionSort, "asc" | "desc"> = { risk: "desc", matched: "asc", last_meeting: "asc", pair: "asc" };

export const DEFAULT_QUERY: AttentionQuery = { category: null, reason: null, sort: "risk", dir: "desc", page: 1 };

const isOneOf = <T extends string>(list: readonly T[], v: string | null): v is T => v !== null && (list as readonly string[]).includes(v);

/** The list's parameters from the URL; an unknown value is ignored (the default applies). */
export function parseAttentionQuery(params: URLSearchParams): AttentionQuery {
  const category = params.get("category");
  const reason = params.get("reason");
  const sortParam = params.get("sort");
  const sort: AttentionSort = isOneOf(ATTENTION_SORTS, sortParam) ? sortParam : "risk";
  const dirParam = params.get("dir");
  const dir = dirParam === "asc" || dirParam === "desc" ? dirParam : DEFAULT_DIR[sort];
  const page = Number.parseInt(params.get("page") ?? "", 10);
  return {
    category: isOneOf(ATTENTION_CATEGORIES, category) ? category : null,
    reason: isOneOf(ATTENTION_REASONS, reason) ? reason : null,
    sort,
    dir,
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

/** The list's own parameters as URL entries (defaults left out), to add to the filters' query string. */
export function attentionParams(q: Partial<AttentionQuery>): [string, string][] {
  const full = { ...DEFAULT_QUERY, ...q };
  const out: [string, string][] = [];
  if (full.category) out.push(["category", full.category]);
  if (full.reason) out.push(["reason", full.reason]);
  if (full.sort !== "risk") out.push(["sort", full.sort]);
  if (full.dir !== DEFAULT_DIR[full.sort]) out.push(["dir", full.dir]);
  if (full.page > 1) out.push(["page", String(full.page)]);
  return out;
}

export const reasonsOf = (p: AttentionPair): AttentionReason[] => ATTENTION_REASONS.filter((r) => p[r]);

/** Code-unit order (ISO dates and ids compare as plain strings; localeCompare is many times slower on 100,000 rows). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: AttentionPair, b: AttentionPair) => cmp(a.pair_id, b.pair_id);

/**
 * The default order inside a category: highest risk first, then the unscored pairs oldest match
 * first; with `ordering` "matched", oldest match first. Ties by pair id.
 */
export function compareDefault(ordering: AttentionData["ordering"]) {
  return (a: AttentionPair, b: AttentionPair): number => {
    if (ordering === "risk") {
      if (a.risk !== null && b.risk !== null && a.risk !== b.risk) return b.risk - a.risk;
      if ((a.risk === null) !== (b.risk === null)) return a.risk === null ? 1 : -1;
    }
    return cmp(a.matched_at, b.matched_at) || byId(a, b);
  };
}

function comparator(sort: AttentionSort, dir: "asc" | "desc", ordering: AttentionData["ordering"]) {
  const sign = dir === "asc" ? 1 : -1;
  const fallback = compareDefault(ordering);
  switch (sort) {
    case "risk":
      // The default order, or its reverse (unscored pairs stay last either way).
      return (a: AttentionPair, b: AttentionPair) => {
        if (dir === "desc" || ordering === "matched") return dir === "desc" ? fallback(a, b) : -fallback(a, b);
        if ((a.risk === null) !== (b.risk === null)) return a.risk === null ? 1 : -1;
        return -fallback(a, b);
      };
    case "matched":
      return (a: AttentionPair, b: AttentionPair) => sign * (cmp(a.matched_at, b.matched_at) || byId(a, b));
    case "last_meeting":
      // No meeting at all counts as the oldest.
      return (a: AttentionPair, b: AttentionPair) => sign * (cmp(a.last_meeting_date ?? "", b.last_meeting_date ?? "") || byId(a, b));
    case "pair":
      return (a: AttentionPair, b: AttentionPair) => sign * byId(a, b);
  }
}

export interface AttentionSelection {
  /** Pairs per category among all the visible pairs (before the category and reason choice). */
  counts: Record<AttentionCategory, number>;
  /** The selected pairs per category (after the category and reason choice, every page). */
  selected: Record<AttentionCategory, number>;
  /** The selected pairs (every page), in order. */
  total: number;
  page: number;
  pages: number;
  /** The current page's pairs (all of them when `pageSize` is null). */
  rows: AttentionPair[];
}

/** Pairs per category. */
export function countCategories(pairs: readonly Pick<AttentionPair, "category">[]): Record<AttentionCategory, number> {
  const counts = Object.fromEntries(ATTENTION_CATEGORIES.map((c) => [c, 0])) as Record<AttentionCategory, number>;
  for (const p of pairs) counts[p.category]++;
  return counts;
}

/**
 * The pairs by category then by (sort, dir), computed once per list and order: a cached list is
 * shared between requests and never mutated (pages.server.ts), so each later request only
 * filters and slices (at 200,000 participants, tens of thousands of active pairs).
 */
const ORDERED = new WeakMap<AttentionData, Map<string, AttentionPair[]>>();
function orderedPairs(data: AttentionData, sort: AttentionSort, dir: "asc" | "desc"): AttentionPair[] {
  let orders = ORDERED.get(data);
  if (!orders) ORDERED.set(data, (orders = new Map()));
  const key = `${sort}:${dir}`;
  let rows = orders.get(key);
  if (!rows) {
    const rank = new Map(ATTENTION_CATEGORIES.map((c, i) => [c, i]));
    const within = comparator(sort, dir, data.ordering);
    rows = [...data.pairs].sort((a, b) => rank.get(a.category)! - rank.get(b.category)! || within(a, b));
    orders.set(key, rows);
  }
  return rows;
}

/** Selects (category, reason), orders (within categories) and pages the list. */
export function selectAttention(data: AttentionData, q: AttentionQuery, pageSize: number | null = ATTENTION_PAGE_SIZE): AttentionSelection {
  const counts = countCategories(data.pairs);
  const all = orderedPairs(data, q.sort, q.dir);
  const selected = q.category === null && q.reason === null ? all : all.filter((p) => (q.category === null || p.category === q.category) && (q.reason === null || p[q.reason]));
  const total = selected.length;
  const perCategory = countCategories(selected);
  if (pageSize === null) return { counts, selected: perCategory, total, page: 1, pages: 1, rows: selected };
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(q.page, pages);
  return { counts, selected: perCategory, total, page, pages, rows: selected.slice((page - 1) * pageSize, page * pageSize) };
}

/** What the Overview's tile shows: the categories' counts and the list's URL with the same filters. */
export function attentionTile(counts: Record<AttentionCategory, number>, programId: string, filters: Filters, ownOrganizationOnly: boolean) {
  return {
    href: `/programs/${encodeURIComponent(programId)}/attention${serializeFilters(filters)}`,
    needsCheckIn: counts.needs_check_in,
    tooEarly: counts.too_early,
    onTrack: counts.on_track,
    ownOrganizationOnly,
  };
}
