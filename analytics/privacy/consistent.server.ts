/**
 * The breakdown categories a protected reader sees hidden in every view (./consistent.ts): the
 * satisfaction scores of each phase and the end reasons of the quality page, computed over
 * every filter combination the query space serves, once per program, reader organization, k
 * and data version.
 */
import { NO_ORGANIZATION } from "../domain/identifiers.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { cachedByDataVersion } from "../dashboards/cache.server.ts";
import type { Filters } from "../dashboards/filters.ts";
import { GENERATION_KEYS } from "../domain/generations.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { consistentHidden, type CategoryRow } from "./consistent.ts";
import { blockWindows, servedFilterSets } from "./query-space.ts";
import { getQuerySpace } from "./query-space.server.ts";

export interface HiddenCategories {
  /** Satisfaction scores (as strings "1"…"5") hidden in every view, per phase. */
  midpoint: ReadonlySet<string>;
  final: ReadonlySet<string>;
  /** End reasons hidden in every view. */
  reasons: ReadonlySet<string>;
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
  const side = (org: string | null, gen: string | null) => (f.org === null || org === f.org) && (f.generation === null || gen === f.generation);
  const mentor = side(p.mentor_org, p.mentor_gen);
  const mentee = side(p.mentee_org, p.mentee_gen);
  return f.role === "mentor" ? mentor : f.role === "mentee" ? mentee : mentor || mentee;
}

/** null when the program does not exist. */
export function getHiddenCategories(db: Db, programId: string, orgId: string | null, k: number): Promise<HiddenCategories | null> {
  return cachedByDataVersion(db, programId, ["hidden-categories", orgId, k], async () => {
    const space = await getQuerySpace(db, programId, orgId, k);
    const data = await withProgramMarts(db, programId, async () => {
      const [program] = await db.all<{ as_of: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
      if (!program) return null;
      const pairs = await db.all<Pair>(loadSql("privacy/audit_pairs"), { program_id: programId, as_of: program.as_of });
      const answers = await db.all<{ pair_id: string; role: "mentor" | "mentee"; phase: "midpoint" | "final"; score: number }>(loadSql("privacy/audit_answers"), { program_id: programId });
      return { pairs, answers };
    });
    if (!data || !space) return null;
    const answersOf = new Map<string, typeof data.answers>();
    for (const a of data.answers) {
      let list = answersOf.get(a.pair_id);
      if (!list) answersOf.set(a.pair_id, (list = []));
      list.push(a);
    }
    const views = servedFilterSets(space, orgId ?? NO_ORGANIZATION, blockWindows(space), GENERATION_KEYS);
    const tables = { midpoint: [] as CategoryRow[][], final: [] as CategoryRow[][], reasons: [] as CategoryRow[][] };
    for (const f of views) {
      const pairs = data.pairs.filter((p) => pairPasses(p, f));
      for (const phase of ["midpoint", "final"] as const) {
        // Distinct respondents per score, as the quality page counts them.
        const people = new Map<string, Set<string>>();
        for (const p of pairs)
          for (const a of answersOf.get(p.pair_id) ?? []) {
            if (a.phase !== phase || (f.role !== null && a.role !== f.role)) continue;
            const key = String(a.score);
            let set = people.get(key);
            if (!set) people.set(key, (set = new Set()));
            set.add(a.role === "mentor" ? p.mentor_id : p.mentee_id);
          }
        tables[phase].push([1, 2, 3, 4, 5].map((s) => ({ key: String(s), people: people.get(String(s))?.size ?? 0 })));
      }
      const reasons = new Map<string, { mentors: Set<string>; mentees: Set<string> }>();
      for (const p of pairs) {
        if (!p.end_reason) continue;
        let r = reasons.get(p.end_reason);
        if (!r) reasons.set(p.end_reason, (r = { mentors: new Set(), mentees: new Set() }));
        r.mentors.add(p.mentor_id);
        r.mentees.add(p.mentee_id);
      }
      tables.reasons.push([...reasons].map(([key, r]) => ({ key, people: r.mentors.size + r.mentees.size })));
    }
    return { midpoint: consistentHidden(tables.midpoint, k), final: consistentHidden(tables.final, k), reasons: consistentHidden(tables.reasons, k) };
  });
}
