/**
 * The topic completion page: by topic and category, targeted → acquired, time to acquire, by
 * intake cohort and mentee generation. SQL in `sql/dashboards/topics_*.sql`; this module only
 * assembles and suppresses (non-admin audiences).
 */
import type { Db } from "../db/database.server.ts";
import { withPage, type PageMeta, type PageOptions } from "./page-query.server.ts";
import { getHiddenTopicRows, topicRowKey } from "../privacy/consistent.server.ts";
import { hideForced, suppressRows, type Suppressed } from "./page-suppression.ts";

export interface TopicsSummary {
  topics_targeted: number;
  topics_acquired: number;
  completion_rate: number | null;
  median_days_to_acquire: number | null;
  mentees: number;
  pairs: number;
}

interface BreakdownSql {
  dimension: "topic" | "category" | "cohort" | "generation";
  group_key: string;
  topic_name: string | null;
  topic_category: string | null;
  topics_targeted: number;
  topics_acquired: number;
  completion_rate: number | null;
  median_days_to_acquire: number | null;
  mentees: number;
  acquiring_mentees: number;
}

export interface TopicRow {
  group: string;
  topic_name: string | null;
  topic_category: string | null;
  topics_targeted: number | null;
  topics_acquired: number | null;
  completion_rate: number | null;
  median_days_to_acquire: number | null;
  mentees: number | null;
}

export interface DaysBandRow {
  topic_category: string;
  band_start_days: number;
  topics_acquired: number | null;
}

export interface TopicsPage extends PageMeta {
  summary: TopicsSummary;
  by_topic: Suppressed<TopicRow>[];
  by_category: Suppressed<TopicRow>[];
  by_cohort: Suppressed<TopicRow>[];
  by_generation: Suppressed<TopicRow>[];
  days_to_acquire: Suppressed<DaysBandRow>[];
  /** Fewer than k mentees behind the topics: no breakdown is drawn (docs/privacy.md, rule 2). */
  breakdowns_withheld: boolean;
  /** What the breakdown tables follow: every filter (admin), or the organization filter only (protected readers). */
  breakdowns_scope: "filters" | "organization";
}

const GENERATION_ORDER = ["boomers", "gen_x", "millennials", "gen_z"];

/** The page's data, or null when the program does not exist (pages.server.ts caches it for the routes). */
export async function getTopicsPage(db: Db, programId: string, options: PageOptions = {}): Promise<TopicsPage | null> {
  return withPage(db, programId, options, async (q) => {
    const [summary] = await q.all<TopicsSummary & { acquiring_mentees: number; filtered_pairs: number }>("topics_summary");
    // For a protected reader the breakdown tables follow the organization filter only: hidden
    // consistently over every role × generation × period they would otherwise leave nothing
    // (docs/privacy.md, rule 2). The totals above follow every filter.
    const organizationOnly = q.meta.k !== null;
    const tableParams: Record<string, null> = organizationOnly ? { f_cohort: null, f_from: null, f_to: null, f_role: null, f_generation: null } : {};
    const groups = await q.all<BreakdownSql>("topics_breakdowns", tableParams);
    const bands = await q.all<DaysBandRow & { mentees: number }>("topics_days_to_acquire", tableParams);
    const k = q.meta.k;
    // Rows hidden in one view of a protected reader are hidden in all (docs/privacy.md, rule 2).
    const everywhere = k === null ? null : await getHiddenTopicRows(db, programId, options.orgId ?? null, k);
    // A breakdown of fewer than k mentees is not drawn at all (docs/privacy.md, rule 2).
    const tableMentees = organizationOnly && q.meta.filtered ? (await q.all<{ mentees: number }>("topics_summary", tableParams))[0].mentees : summary.mentees;
    const tooFew = k !== null && tableMentees > 0 && tableMentees < k;

    const breakdown = (dimension: BreakdownSql["dimension"]) => {
      const rows = groups
        .filter((g) => g.dimension === dimension)
        .map((g) => ({
          group: g.group_key,
          topic_name: g.topic_name,
          topic_category: g.topic_category,
          topics_targeted: g.topics_targeted,
          topics_acquired: g.topics_acquired,
          completion_rate: g.completion_rate,
          median_days_to_acquire: g.median_days_to_acquire,
          mentees: g.mentees,
          _acquiring: g.acquiring_mentees,
        }));
      if (dimension === "generation") rows.sort((a, b) => GENERATION_ORDER.indexOf(a.group) - GENERATION_ORDER.indexOf(b.group));
      if (tooFew) return [];
      const shown = suppressRows(rows, k, (r) => r.group, {
        people: (r) => r.mentees,
        figures: { completion_rate: (r) => r.mentees, median_days_to_acquire: (r) => r._acquiring },
        keep: ["group", "topic_name", "topic_category"],
      }).map(({ _acquiring, ...row }) => row);
      return hideForced(shown, everywhere, (r) => topicRowKey(dimension, r.group), ["group", "topic_name", "topic_category"]);
    };

    const days = tooFew
      ? []
      : [...new Set(bands.map((b) => b.topic_category))].flatMap((category) => {
          const inCategory = bands.filter((b) => b.topic_category === category);
          // The bands of a category acquired by fewer than k mentees: not drawn either.
          const acquiring = groups.find((g) => g.dimension === "category" && g.group_key === category)?.acquiring_mentees ?? 0;
          if (k !== null && acquiring > 0 && acquiring < k) return [];
          const shown = suppressRows(inCategory, k, (r) => String(r.band_start_days), { people: (r) => r.mentees, keep: ["topic_category", "band_start_days"] }).map(
            ({ mentees: _m, ...row }) => row,
          );
          return hideForced(shown, everywhere, (r) => topicRowKey("band", r.topic_category, r.band_start_days), ["topic_category", "band_start_days"]);
        });

    return {
      ...q.meta,
      summary: {
        topics_targeted: summary.topics_targeted,
        topics_acquired: summary.topics_acquired,
        completion_rate: summary.completion_rate,
        median_days_to_acquire: summary.median_days_to_acquire,
        mentees: summary.mentees,
        pairs: summary.pairs,
      },
      by_topic: breakdown("topic"),
      by_category: breakdown("category"),
      by_cohort: breakdown("cohort"),
      by_generation: breakdown("generation"),
      days_to_acquire: days,
      breakdowns_withheld: tooFew,
      breakdowns_scope: organizationOnly ? "organization" : "filters",
    };
  });
}
