/**
 * The generational mix page: age pyramid of mentors and mentees, the mentor-generation ×
 * mentee-generation matrix, the age-gap distribution, reverse mentoring, reach outside the
 * 30–50 core ("octaves"), by organization. SQL in `sql/dashboards/generations_*.sql` over the
 * metric marts (one definition of generation, age and age gap); this module assembles and
 * suppresses (non-admin audiences).
 */
import { NO_ORGANIZATION } from "../domain/identifiers.ts";
import type { Db } from "../db/database.server.ts";
import { GENERATION_KEYS } from "../domain/generations.ts";
import { withPage, type PageMeta, type PageOptions } from "./page-query.server.ts";
import { hideForced, suppressRows, type Suppressed } from "./page-suppression.ts";
import { generationRowKey, getHiddenGenerationRows } from "../privacy/consistent.server.ts";

export interface GenerationsSummary {
  participants: number;
  participants_by_generation: Record<(typeof GENERATION_KEYS)[number], number | null>;
  participants_outside_core: number;
  outside_core_share: number | null;
  pairs: number;
  pairs_cross_generation: number;
  cross_generation_pair_rate: number | null;
  median_age_gap_years: number | null;
  pairs_reverse: number;
  reverse_pair_rate: number | null;
  pairs_younger_mentor: number;
}

export interface PyramidRow {
  role: "mentor" | "mentee";
  band_start_years: number;
  participants: number | null;
  participants_outside_core: number | null;
}

export interface OctaveRow {
  role: "mentor" | "mentee";
  octave: "low" | "core" | "high";
  participants: number | null;
}

export interface MatrixRow {
  mentor_generation: string;
  mentee_generation: string;
  pairs: number | null;
  pairs_reverse: number | null;
}

export interface AgeGapRow {
  band_start_years: number;
  pairs: number | null;
  pairs_cross_generation: number | null;
}

export interface OrganizationRow {
  group_key: string;
  org_name: string | null;
  participants: number | null;
  participants_outside_core: number | null;
  outside_core_share: number | null;
  pairs: number | null;
  pairs_cross_generation: number | null;
  cross_generation_pair_rate: number | null;
  pairs_reverse: number | null;
  median_age_gap_years: number | null;
}

export interface GenerationsPage extends PageMeta {
  summary: GenerationsSummary;
  pyramid: Suppressed<PyramidRow>[];
  octaves: Suppressed<OctaveRow>[];
  matrix: Suppressed<MatrixRow>[];
  age_gaps: Suppressed<AgeGapRow>[];
  by_organization: Suppressed<OrganizationRow>[];
  /** What the tables follow: every filter (admin), or the organization filter only (protected readers). */
  tables_scope: "filters" | "organization";
  /**
   * Columns not drawn for a protected reader because their group holds fewer than k people:
   * "outside mentor" / "outside mentee" (the pyramid's outside-core counts and the low and high
   * octaves of that role), "outside", "reverse", "cross" (docs/privacy.md).
   */
  withheld_columns: string[];
}

const OCTAVE_ORDER = ["low", "core", "high"];

/** The page's data, or null when the program does not exist (pages.server.ts caches it for the routes). */
export async function getGenerationsPage(db: Db, programId: string, options: PageOptions = {}): Promise<GenerationsPage | null> {
  return withPage(db, programId, options, async (q) => {
    const k = q.meta.k;
    // Every protected audience sees its own organization and "others" (docs/privacy.md).
    const sponsorOrg = q.meta.audience === "admin" ? null : (options.orgId ?? NO_ORGANIZATION);
    const [s] = await q.all<Omit<GenerationsSummary, "participants_by_generation"> & Record<string, number>>("generations_summary");
    // For a protected reader the tables (and the participants by generation) follow the
    // organization filter only, and rows hidden in one of its views are hidden in all
    // (docs/privacy.md, rule 2, as on the topics page). The other totals follow every filter.
    const organizationOnly = k !== null;
    const tableParams: Record<string, null> = organizationOnly ? { f_cohort: null, f_from: null, f_to: null, f_role: null, f_generation: null } : {};
    const everywhere = k === null ? null : await getHiddenGenerationRows(db, programId, options.orgId ?? null, k);
    const [t] = organizationOnly && q.meta.filtered ? await q.all<Record<string, number>>("generations_summary", tableParams) : [s];
    const pyramid = await q.all<PyramidRow>("generations_pyramid", tableParams);
    const octaves = await q.all<OctaveRow>("generations_octaves", tableParams);
    const matrix = await q.all<MatrixRow & { people: number }>("generations_matrix", tableParams);
    const gaps = await q.all<AgeGapRow & { people: number }>("generations_age_gaps", tableParams);
    const orgs = await q.all<OrganizationRow>("generations_by_organization", { sponsor_org_id: sponsorOrg, ...tableParams });

    const perRole = <T extends { role: string; participants: number | null }>(rows: T[], key: (r: T) => string, keep: (keyof T & string)[]) =>
      (["mentor", "mentee"] as const).flatMap((role) =>
        suppressRows(rows.filter((r) => r.role === role), k, key, { people: (r) => r.participants ?? 0, keep }),
      );
    const forced = <R extends { suppressed: boolean; suppressed_fields: string[] }>(rows: R[], keyOf: (r: R) => string, keep: readonly string[]) => hideForced(rows, everywhere, keyOf, keep);

    // The generation counts of the summary are hidden like the report's by_generation rows.
    const generationRows = GENERATION_KEYS.map((key) => ({ group: key, participants: (t[`participants_${key}`] as number) ?? 0 }));
    const shownGenerations = forced(suppressRows(generationRows, k, (r) => r.group, { people: (r) => r.participants, keep: ["group"] }), (r) => generationRowKey("generation", r.group), ["group"]);

    octaves.sort((a, b) => OCTAVE_ORDER.indexOf(a.octave) - OCTAVE_ORDER.indexOf(b.octave));
    // A column of a group of fewer than k people (the reverse pairs, the cross-generation ones,
    // the people outside the core) is not drawn at all for a protected reader (docs/privacy.md).
    const smallGeneration = (g: string | null) => {
      const n = g === null ? 0 : ((t[`participants_${g}`] as number | undefined) ?? 0);
      return k !== null && n > 0 && n < k;
    };
    const withheld = (name: string) => everywhere?.has(generationRowKey("column", name)) ?? false;
    const withheldColumns = ["outside mentor", "outside mentee", "outside", "reverse", "cross"].filter(withheld);
    const drop = <R extends object>(rows: R[], fields: string[], when: (r: R) => boolean): R[] =>
      rows.map((r) => (when(r) ? ({ ...r, ...Object.fromEntries(fields.map((f) => [f, null])) } as R) : r));
    return {
      ...q.meta,
      summary: {
        participants: s.participants,
        participants_by_generation: Object.fromEntries(shownGenerations.map((g) => [g.group, g.participants])) as GenerationsSummary["participants_by_generation"],
        participants_outside_core: s.participants_outside_core,
        outside_core_share: s.outside_core_share,
        pairs: s.pairs,
        pairs_cross_generation: s.pairs_cross_generation,
        cross_generation_pair_rate: s.cross_generation_pair_rate,
        median_age_gap_years: s.median_age_gap_years,
        pairs_reverse: s.pairs_reverse,
        reverse_pair_rate: s.reverse_pair_rate,
        pairs_younger_mentor: s.pairs_younger_mentor,
      },
      pyramid: drop(
        forced(perRole(pyramid, (r) => String(r.band_start_years), ["role", "band_start_years"]), (r) => generationRowKey("pyramid", r.role, r.band_start_years), ["role", "band_start_years"]),
        ["participants_outside_core"],
        (r) => withheld(`outside ${r.role}`),
      ),
      // The octaves are sums of pyramid bands: a role's octaves with one of them hidden would be
      // given by the bands beside them, so for a protected reader they are then not drawn.
      octaves: forced(perRole(octaves, (r) => r.octave, ["role", "octave"]), (r) => generationRowKey("octave", r.role, r.octave), ["role", "octave"]).filter(
        (r) => k === null || (!withheld(`outside ${r.role}`) && !OCTAVE_ORDER.some((o) => everywhere?.has(generationRowKey("octave", r.role, o)))),
      ),
      withheld_columns: withheldColumns,
      // A generation of fewer than k people bounds every matrix row it is in by its size: its
      // rows are not drawn for a protected reader (docs/privacy.md).
      matrix: drop(forced(
        suppressRows(matrix, k, (r) => `${r.mentor_generation}|${r.mentee_generation}`, {
          people: (r) => r.people,
          keep: ["mentor_generation", "mentee_generation"],
        }).map(({ people: _p, ...row }) => row),
        (r) => generationRowKey("matrix", r.mentor_generation, r.mentee_generation),
        ["mentor_generation", "mentee_generation"],
      ), ["pairs_reverse"], () => withheld("reverse")).filter((r) => k === null || (!smallGeneration(r.mentor_generation) && !smallGeneration(r.mentee_generation))),
      age_gaps: drop(forced(
        suppressRows(gaps, k, (r) => String(r.band_start_years), { people: (r) => r.people, keep: ["band_start_years"] }).map(({ people: _p, ...row }) => row),
        (r) => generationRowKey("gap", r.band_start_years),
        ["band_start_years"],
      ), ["pairs_cross_generation"], () => withheld("cross")),
      tables_scope: organizationOnly ? "organization" : "filters",
      by_organization: drop(forced(suppressRows(orgs, k, (r) => r.group_key, {
        people: (r) => r.participants ?? 0,
        figures: {
          outside_core_share: (r) => r.participants ?? 0,
          cross_generation_pair_rate: (r) => r.pairs ?? 0,
          median_age_gap_years: (r) => r.pairs ?? 0,
        },
        keep: ["group_key", "org_name"],
      }), (r) => generationRowKey("organization", r.group_key), ["group_key", "org_name"]),
        [
          ...(withheld("outside") ? ["participants_outside_core", "outside_core_share"] : []),
          ...(withheld("reverse") ? ["pairs_reverse"] : []),
          ...(withheld("cross") ? ["pairs_cross_generation", "cross_generation_pair_rate"] : []),
        ], () => true),
    };
  });
}
