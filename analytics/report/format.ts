import type { BreakdownRow } from "../metrics/suppression.ts";
import { ROW_FIGURES } from "../metrics/suppression.ts";
import type { ProgramReport } from "./report.server.ts";
import type { Estimate } from "../impact/estimate.ts";
import { csvCell, csvDocument, escapeFormula, type CsvCell, type CsvLocale } from "../domain/csv.ts";

/** One cell of the CSV: numbers stay numbers, text is guarded against formula injection. */
export type Cell = CsvCell;

export const CSV_COLUMNS = ["section", "group", "metric", "value", "suppressed"] as const;

export { escapeFormula };

/** One CSV cell in the English dialect (analytics/domain/csv.ts writes every CSV). */
export function toCsvCell(value: Cell): string {
  return csvCell(value, "en");
}

interface Line {
  section: string;
  group: string;
  metric: string;
  value: Cell;
  suppressed: boolean;
}

/** Every published value of the report, one per line, in a fixed order. */
export function reportLines(report: ProgramReport): Line[] {
  const lines: Line[] = [];
  const add = (section: string, metric: string, value: Cell, group = "", suppressed = false) =>
    lines.push({ section, group, metric, value, suppressed });

  for (const [metric, value] of Object.entries(report.program)) add("program", metric, value);
  add("report", "schema_version", report.schema_version);
  add("report", "audience", report.audience);
  add("report", "org_id", report.org_id);
  add("report", "k", report.k);
  add("report", "as_of", report.as_of);
  for (const section of ["participants", "pairs", "quality", "topics"] as const) {
    for (const [metric, value] of Object.entries(report[section])) add(section, metric, value as Cell);
  }
  const g = report.generations;
  for (const [key, value] of Object.entries(g.participants_by_generation)) {
    add("generations", `participants_by_generation.${key}`, value, "", value === null);
  }
  add("generations", "cross_generation_pair_rate", g.cross_generation_pair_rate);
  add("generations", "median_age_gap_years", g.median_age_gap_years);
  add("generations", "outside_core_share", g.outside_core_share);
  const c = report.costs;
  add("costs", "total", c.total);
  add("costs", "per_participant", c.per_participant);
  add("costs", "per_matched_mentee", c.per_matched_mentee);
  add("costs", "per_completed_pair", c.per_completed_pair);
  add("costs", "per_acquired_topic", c.per_acquired_topic);
  add("costs", "market_band_per_mentee.low", c.market_band_per_mentee?.low ?? null);
  add("costs", "market_band_per_mentee.high", c.market_band_per_mentee?.high ?? null);
  for (const [section, rows] of Object.entries(report.breakdowns) as [string, BreakdownRow[]][]) {
    for (const row of rows) {
      add(section, "label", row.label, row.group);
      for (const figure of ROW_FIGURES) {
        const hidden = row.suppressed || row.suppressed_fields.includes(figure);
        add(section, figure, hidden ? null : row[figure], row.group, hidden);
      }
    }
  }
  const impact = report.impact;
  if (impact) {
    add("impact", "status", impact.status);
    add("impact", "horizon_months", impact.horizon_months);
    add("impact", "longest_horizon_months", impact.longest_horizon_months);
    add("impact", "participants_missing_from_workforce", impact.participants_missing_from_workforce);
    for (const outcome of ["retention", "promotion"] as const) {
      const o = impact[outcome];
      if (!o) continue;
      const estimate = (group: string, e: Estimate) => {
        add(`impact.${outcome}`, "status", e.status, group);
        add(`impact.${outcome}`, "participants.n", e.participants.n, group, e.participants.n === null);
        add(`impact.${outcome}`, "participants.rate", e.participants.rate, group);
        add(`impact.${outcome}`, "comparison.n", e.comparison.n, group, e.comparison.n === null);
        add(`impact.${outcome}`, "comparison.rate", e.comparison.rate, group);
        add(`impact.${outcome}`, "naive_comparison_rate", e.naive_comparison_rate, group);
        add(`impact.${outcome}`, "effect", e.effect, group);
        add(`impact.${outcome}`, "ci95.low", e.ci95?.[0] ?? null, group);
        add(`impact.${outcome}`, "ci95.high", e.ci95?.[1] ?? null, group);
        add(`impact.${outcome}`, "naive_effect", e.naive_effect, group);
      };
      estimate("", o);
      for (const role of ["mentee", "mentor"] as const) estimate(`role:${role}`, o.by_role[role]);
      for (const row of o.by_organization) estimate(`organization:${row.org_id}`, row);
    }
    add("impact", "money_status", impact.money_status);
    if (impact.money) for (const [metric, value] of Object.entries(impact.money)) add("impact.money", metric, Array.isArray(value) ? value.join(" ") : value);
  }
  return lines;
}

/**
 * The report as CSV: `section,group,metric,value,suppressed`, one value per line, in the
 * locale's dialect (`fr`: `;`, decimal comma, UTF-8 byte-order mark; analytics/domain/csv.ts).
 */
export function formatCsv(report: ProgramReport, locale: CsvLocale = "en"): string {
  return csvDocument(CSV_COLUMNS, reportLines(report).map((l) => [l.section, l.group, l.metric, l.value, l.suppressed]), locale);
}

/** The report as JSON (two-space indented, trailing newline). */
export function formatJson(report: ProgramReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

// ---------------------------------------------------------------------------------------
// Markdown: a readable one-page summary. Display rounding only; hidden values read "hidden".

function mdText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}

const NOT_AVAILABLE = "n/a";
const HIDDEN = "hidden";

function fmtNumber(value: number | null, digits = 2): string {
  if (value === null) return NOT_AVAILABLE;
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", { maximumFractionDigits: digits });
}
function fmtRate(value: number | null): string {
  return value === null ? NOT_AVAILABLE : `${(value * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })} %`;
}
function fmtMoney(value: number | null, currency: string): string {
  return value === null
    ? NOT_AVAILABLE
    : `${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${mdText(currency)}`;
}

function breakdownTable(title: string, rows: BreakdownRow[]): string[] {
  const out = [`### ${title}`, ""];
  if (rows.length === 0) return [...out, "No participants.", ""];
  out.push("| Group | Participants | Pairs | Mid-point satisfaction | Topic completion |", "| --- | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    const cell = (figure: (typeof ROW_FIGURES)[number], fmt: (v: number | null) => string) =>
      row.suppressed || row.suppressed_fields.includes(figure) ? HIDDEN : fmt(row[figure]);
    const name = row.label && row.label !== row.group ? `${row.label} (${row.group})` : row.group;
    out.push(
      `| ${mdText(name)} | ${cell("participants", (v) => fmtNumber(v))} | ${cell("pairs", (v) => fmtNumber(v))} | ` +
        `${cell("midpoint_satisfaction_mean", (v) => fmtNumber(v))} | ${cell("completion_rate", fmtRate)} |`,
    );
  }
  out.push("");
  return out;
}

/** The report as a one-page Markdown summary. */
export function formatMarkdown(report: ProgramReport): string {
  const p = report.program;
  const gen = report.generations.participants_by_generation;
  const genCell = (v: number | null) => (v === null ? HIDDEN : fmtNumber(v));
  const audience =
    report.audience === "admin"
      ? "admin (nothing hidden)"
      : `${report.audience}${report.org_id ? ` for ${mdText(report.org_id)}` : ""}, groups under ${report.k} people hidden`;
  const band = report.costs.market_band_per_mentee;
  const lines = [
    `# ${mdText(p.name)} (${mdText(p.program_id)})`,
    "",
    `${p.kind === "inter" ? "Inter-company" : "Intra-company"} program, ${p.start_date} to ${p.end_date}. ` +
      `Figures as of ${report.as_of}. Audience: ${audience}.`,
    "",
    "## Key figures",
    "",
    "| Figure | Value |",
    "| --- | ---: |",
    `| Participants (mentors / mentees) | ${fmtNumber(report.participants.total)} (${fmtNumber(report.participants.mentors)} / ${fmtNumber(report.participants.mentees)}) |`,
    `| Organizations | ${fmtNumber(report.participants.organizations)} |`,
    `| Matched mentees (match rate) | ${fmtNumber(report.participants.matched_mentees)} (${fmtRate(report.pairs.match_rate)}) |`,
    `| Pairs: active / completed / ended early | ${fmtNumber(report.pairs.total)}: ${fmtNumber(report.pairs.active)} / ${fmtNumber(report.pairs.completed)} / ${fmtNumber(report.pairs.ended_early)} |`,
    `| Reverse-mentoring pairs | ${fmtNumber(report.pairs.reverse)} |`,
    `| Early termination rate | ${fmtRate(report.quality.early_termination_rate)} |`,
    `| Mid-point / final satisfaction (1–5) | ${fmtNumber(report.quality.midpoint_satisfaction_mean)} / ${fmtNumber(report.quality.final_satisfaction_mean)} |`,
    `| Mid-point response rate | ${fmtRate(report.quality.midpoint_response_rate)} |`,
    `| Flagged at mid-point / at risk now | ${fmtNumber(report.quality.midpoint_flagged_pairs)} / ${fmtNumber(report.quality.at_risk_pairs)} |`,
    `| Meeting regularity | ${fmtRate(report.quality.meeting_regularity)} |`,
    `| Topics acquired / targeted (completion) | ${fmtNumber(report.topics.acquired)} / ${fmtNumber(report.topics.targeted)} (${fmtRate(report.topics.completion_rate)}) |`,
    `| Median days to acquire a topic | ${fmtNumber(report.topics.median_days_to_acquire)} |`,
    "",
    "## Generations",
    "",
    `Boomers ${genCell(gen.boomers)} · Gen X ${genCell(gen.gen_x)} · Millennials ${genCell(gen.millennials)} · Gen Z ${genCell(gen.gen_z)}. ` +
      `Cross-generation pairs: ${fmtRate(report.generations.cross_generation_pair_rate)}; ` +
      `median age gap: ${report.generations.median_age_gap_years === null ? NOT_AVAILABLE : `${fmtNumber(report.generations.median_age_gap_years)} years`}; ` +
      `outside the 30–50 core: ${fmtRate(report.generations.outside_core_share)}.`,
    "",
    "## Costs",
    "",
    `Total ${fmtMoney(report.costs.total, p.currency)}; per participant ${fmtMoney(report.costs.per_participant, p.currency)}; ` +
      `per matched mentee ${fmtMoney(report.costs.per_matched_mentee, p.currency)}` +
      (band ? ` (market band ${fmtNumber(band.low)}–${fmtNumber(band.high)} EUR)` : "") +
      `; per completed pair ${fmtMoney(report.costs.per_completed_pair, p.currency)}; ` +
      `per acquired topic ${fmtMoney(report.costs.per_acquired_topic, p.currency)}.`,
    "",
    "## Breakdowns",
    "",
    ...breakdownTable("By organization", report.breakdowns.by_organization),
    ...breakdownTable("By generation", report.breakdowns.by_generation),
    ...breakdownTable("By gender", report.breakdowns.by_gender),
    ...breakdownTable("By intake cohort", report.breakdowns.by_cohort),
    ...breakdownTable("By month of the program (people and pairs active that month)", report.breakdowns.by_month),
    ...impactSection(report),
    `"${HIDDEN}": too few people to publish (small-cell suppression); "${NOT_AVAILABLE}": not computable.`,
    "",
  ];
  return lines.join("\n");
}

function fmtPoints(value: number | null): string {
  return value === null ? NOT_AVAILABLE : `${value >= 0 ? "+" : ""}${(value * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })} pts`;
}

/** The impact section (issue 13): effect with its interval beside the naive difference. */
function impactSection(report: ProgramReport): string[] {
  const impact = report.impact;
  if (!impact) return [];
  const out = ["## Impact", ""];
  if (impact.status === "no_workforce") return [...out, "No workforce file: no comparison group, no impact figure.", ""];
  if (!impact.retention || !impact.promotion) {
    return [...out, `Not enough data at ${impact.horizon_months} months: the extract allows at most ${impact.longest_horizon_months ?? NOT_AVAILABLE} months.`, ""];
  }
  out.push(
    `At ${impact.horizon_months} months; comparison group: non-participants of the workforce reweighted to the participants on organization, generation, job level and tenure (docs/metrics.md).`,
    "",
    "| Figure | Participants | Comparison (adjusted) | Effect (95 % interval) | Naive difference |",
    "| --- | ---: | ---: | ---: | ---: |",
  );
  for (const [name, o] of [["Still employed (retention)", impact.retention], ["Promoted", impact.promotion]] as const) {
    const ci = o.ci95 ? ` (${fmtPoints(o.ci95[0])} to ${fmtPoints(o.ci95[1])})` : "";
    out.push(o.status === "ok"
      ? `| ${name} | ${fmtRate(o.participants.rate)} | ${fmtRate(o.comparison.rate)} | ${fmtPoints(o.effect)}${ci} | ${fmtPoints(o.naive_effect)} |`
      : `| ${name} | insufficient data | | | |`);
  }
  out.push("");
  const m = impact.money;
  out.push(
    m
      ? `Money: ${fmtNumber(m.departures_avoided, 1)} departures avoided × ${fmtMoney(m.cost_per_departure, report.program.currency)} = ${fmtMoney(m.benefit, report.program.currency)}; ROI ${m.roi === null ? NOT_AVAILABLE : fmtRate(m.roi)}${m.roi_ci95 ? ` (${fmtRate(m.roi_ci95[0])} to ${fmtRate(m.roi_ci95[1])})` : ""}.`
      : impact.money_status === "no_cost_per_departure"
        ? "Money: no cost per departure was given, so no money figure (none is assumed)."
        : impact.money_status === "hidden"
          ? "Money: hidden (the program's money would give the other company's)."
          : "Money: no retention estimate, so no money figure.",
    "",
  );
  return out;
}
