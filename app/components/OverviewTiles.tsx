import type { ProgramReport } from "../../analytics/metrics/report.server.ts";
import type { TrendRow } from "../../analytics/dashboards/overview.server.ts";
import type { RenderedChart } from "./charts/render.server.ts";
import { overviewMessages } from "../i18n/pages/overview.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

export type TileKey =
  | "participants"
  | "pairs"
  | "active_pairs"
  | "topic_completion"
  | "satisfaction"
  | "cost_per_matched_mentee"
  | "cross_generation";

/** Which report figure each tile shows and which trend column follows it. */
export const TILES: { key: TileKey; trend: keyof Omit<TrendRow, "month">; value: (r: ProgramReport) => number | null; percent?: boolean }[] = [
  { key: "participants", trend: "participants", value: (r) => r.participants.total },
  { key: "pairs", trend: "pairs", value: (r) => r.pairs.total },
  { key: "active_pairs", trend: "active_pairs", value: (r) => r.pairs.active },
  { key: "topic_completion", trend: "topic_completion_rate", value: (r) => r.topics.completion_rate, percent: true },
  { key: "satisfaction", trend: "midpoint_satisfaction_mean", value: (r) => r.quality.midpoint_satisfaction_mean },
  { key: "cost_per_matched_mentee", trend: "cost_per_matched_mentee", value: (r) => r.costs.per_matched_mentee },
  { key: "cross_generation", trend: "cross_generation_pair_rate", value: (r) => r.generations.cross_generation_pair_rate, percent: true },
];

/** Where a cost per matched mentee stands against the market band (null: no band or no cost). */
export function bandPosition(report: ProgramReport): "below" | "within" | "above" | null {
  const band = report.costs.market_band_per_mentee;
  const cost = report.costs.per_matched_mentee;
  if (!band || cost === null) return null;
  return cost < band.low ? "below" : cost > band.high ? "above" : "within";
}

/**
 * The overview tiles: each report figure (the `data-value` attribute holds the raw JSON number,
 * so a test can compare it with the report endpoint), a detail line, the change since the
 * first month and a month-by-month sparkline.
 */
export function OverviewTiles({
  report,
  trends,
  sparklines,
  bandChart = null,
}: {
  report: ProgramReport;
  trends: TrendRow[];
  sparklines: Partial<Record<TileKey, RenderedChart | null>>;
  /** The cost per matched mentee on the market band (marketBandChart), when both exist. */
  bandChart?: RenderedChart | null;
}) {
  const { f } = useT();
  const pt = usePageT(overviewMessages);
  const currency = report.program.currency;
  const band = report.costs.market_band_per_mentee;
  const position = bandPosition(report);
  const title: Record<TileKey, string> = {
    participants: pt("participants"),
    pairs: pt("pairs"),
    active_pairs: pt("activePairs"),
    topic_completion: pt("topicCompletion"),
    satisfaction: pt("satisfaction"),
    cost_per_matched_mentee: pt("costPerMentee"),
    cross_generation: pt("crossGeneration"),
  };
  const display = (key: TileKey, v: number | null): string => {
    switch (key) {
      case "topic_completion":
      case "cross_generation":
        return f.percent(v);
      case "satisfaction":
        return f.number(v, 2);
      case "cost_per_matched_mentee":
        return f.money(v, currency);
      default:
        return f.number(v, 0);
    }
  };
  const detail: Record<TileKey, string> = {
    participants: pt("participantsDetail", {
      mentors: f.number(report.participants.mentors, 0),
      mentees: f.number(report.participants.mentees, 0),
      orgs: f.number(report.participants.organizations, 0),
    }),
    pairs: pt("pairsDetail", { rate: f.percent(report.pairs.match_rate) }),
    active_pairs: pt("activeDetail", { completed: f.number(report.pairs.completed, 0), early: f.number(report.pairs.ended_early, 0) }),
    topic_completion: pt("topicDetail", { acquired: f.number(report.topics.acquired, 0), targeted: f.number(report.topics.targeted, 0) }),
    satisfaction: pt("satisfactionDetail", { final: f.number(report.quality.final_satisfaction_mean, 2) }),
    cost_per_matched_mentee: band
      ? pt(position === "below" ? "bandBelow" : position === "above" ? "bandAbove" : "bandWithin", {
          low: f.money(band.low, "EUR"),
          high: f.money(band.high, "EUR"),
        })
      : pt("bandNone"),
    cross_generation: pt("crossDetail", { gap: f.number(report.generations.median_age_gap_years, 1) }),
  };
  return (
    <div className="tiles">
      {TILES.map((tile) => {
        const value = tile.value(report);
        const known = trends.filter((row) => row[tile.trend] !== null);
        const first = known[0];
        const firstValue = first ? (first[tile.trend] as number) : null;
        let trendText = pt("trendNone");
        if (first && value !== null && firstValue !== null && known.length > 1) {
          const delta = value - firstValue;
          const shown = tile.percent ? `${delta >= 0 ? "+" : "−"}${f.number(Math.abs(delta) * 100, 1)} pt` : `${delta >= 0 ? "+" : "−"}${display(tile.key, Math.abs(delta))}`;
          trendText = Math.abs(delta) < 1e-9 ? pt("trendFlat", { month: f.month(first.month) }) : pt("trendSince", { delta: shown, month: f.month(first.month) });
        }
        const spark = sparklines[tile.key];
        return (
          <section
            key={tile.key}
            className={`tile${tile.key === "cost_per_matched_mentee" && position ? ` band-${position}` : ""}`}
            data-tile={tile.key}
            data-value={value === null ? "" : String(value)}
          >
            <h3>{title[tile.key]}</h3>
            <p className="value">{display(tile.key, value)}</p>
            <p className="detail">{detail[tile.key]}</p>
            <p className="detail trend">{trendText}</p>
            {tile.key === "cost_per_matched_mentee" && bandChart ? (
              <div className="band" data-chart="market-band" dangerouslySetInnerHTML={{ __html: bandChart.html }} />
            ) : null}
            {spark ? <div className="spark" aria-hidden="true" dangerouslySetInnerHTML={{ __html: spark.html }} /> : null}
          </section>
        );
      })}
    </div>
  );
}
