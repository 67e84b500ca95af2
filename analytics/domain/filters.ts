/**
 * The dashboard filters, kept in the URL so a view can be shared and bookmarked:
 * `?cohort=2026-03&org=ORG1&generation=gen_x&role=mentee&from=2026-01-01&to=2026-06-30`.
 * A bad value is dropped with a notice (never an error page). Pure: used by loaders (which pass
 * the parsed filters to analytics/dashboards/* as SQL parameters) and by the filters bar.
 *
 * Meaning, for figures about pairs: cohort = month of the pair's matched_at; from/to = matched_at
 * within [from, to]; org / generation = the pair's mentor or mentee belongs to it, or, with a
 * role, the member of that role does. For figures about participants they filter the people.
 */
import { GENERATION_KEYS, type GenerationKey } from "./generations.ts";
import { isOrgId } from "./identifiers.ts";

export const FILTER_NAMES = ["cohort", "org", "generation", "role", "from", "to"] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type Role = "mentor" | "mentee";

export interface Filters {
  cohort: string | null;
  org: string | null;
  generation: GenerationKey | null;
  role: Role | null;
  from: string | null;
  to: string | null;
}

export const NO_FILTERS: Filters = { cohort: null, org: null, generation: null, role: null, from: null, to: null };

/** Why a filter value was dropped (for the notice; `name` is the parameter). */
export interface FilterNotice {
  name: FilterName;
  value: string;
  reason: "format" | "unknown" | "range" | "scope" | "coarsened" | "privacy";
  /** For `coarsened`: the window used instead (`YYYY-MM-DD..YYYY-MM-DD`). */
  detail?: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Reads the filters from search params; unknown, malformed or out-of-range values are dropped. */
export function parseFilters(params: URLSearchParams): { filters: Filters; notices: FilterNotice[] } {
  const filters: Filters = { ...NO_FILTERS };
  const notices: FilterNotice[] = [];
  const get = (name: FilterName) => {
    const v = params.get(name);
    return v === null || v.trim() === "" ? null : v.trim();
  };
  const drop = (name: FilterName, value: string, reason: FilterNotice["reason"]) => notices.push({ name, value: value.slice(0, 40), reason });

  const cohort = get("cohort");
  if (cohort !== null) MONTH.test(cohort) ? (filters.cohort = cohort) : drop("cohort", cohort, "format");
  const org = get("org");
  if (org !== null) isOrgId(org) ? (filters.org = org) : drop("org", org, "format");
  const generation = get("generation");
  if (generation !== null) {
    (GENERATION_KEYS as readonly string[]).includes(generation) ? (filters.generation = generation as GenerationKey) : drop("generation", generation, "unknown");
  }
  const role = get("role");
  if (role !== null) role === "mentor" || role === "mentee" ? (filters.role = role) : drop("role", role, "unknown");
  const from = get("from");
  if (from !== null) isIsoDate(from) ? (filters.from = from) : drop("from", from, "format");
  const to = get("to");
  if (to !== null) isIsoDate(to) ? (filters.to = to) : drop("to", to, "format");
  if (filters.from && filters.to && filters.from > filters.to) {
    drop("to", filters.to, "range");
    filters.to = null;
  }
  return { filters, notices };
}

/** The filters as a query string (`?…`, or "" when none), in a fixed order. */
export function serializeFilters(filters: Partial<Filters>): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function hasFilters(filters: Filters): boolean {
  return FILTER_NAMES.some((name) => filters[name] !== null);
}

/**
 * Named SQL parameters for `sql/dashboards/*.sql`: `$f_cohort`, `$f_org`, `$f_generation`,
 * `$f_role`, `$f_from`, `$f_to` (null = no filter). The SQL casts the dates.
 */
export function filterParams(filters: Filters): Record<`f_${FilterName}`, string | null> {
  return {
    f_cohort: filters.cohort,
    f_org: filters.org,
    f_generation: filters.generation,
    f_role: filters.role,
    f_from: filters.from,
    f_to: filters.to,
  };
}
