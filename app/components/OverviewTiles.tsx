import type { ProgramReport } from "../../analytics/report/report.server.ts";
import type { Headline, TrendRow } from "../../analytics/dashboards/overview.server.ts";
import type { RenderedChart } from "./charts/render.server.ts";
import type { FigureFormat } from "../i18n/format.ts";
import { AttentionTile, type AttentionTileProps } from "./AttentionTile.tsx";
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

/** Which headline figure each tile shows and which trend column follows it. */
export const TILES: { key: TileKey; trend: keyof Omit<TrendRow, "month">; value: (h: Headline) => number | null; percent?: boolean }[] = [
  { key: "participants", trend: "participants", value: (h) => h.participants },
  { key: "pairs", trend: "pairs", value: (h) => h.pairs },
  { key: "active_pairs", trend: "active_pairs", value: (h) => h.active_pairs },
  { key: "topic_completion", trend: "topic_completion_rate", value: (h) => h.topic_completion_rate, percent: true },
  { key: "satisfaction", trend: "midpoint_satisfaction_mean", value: (h) => h.midpoint_satisfaction_mean },
  { key: "cost_per_matched_mentee", trend: "cost_per_matched_mentee", value: (h) => h.cost_per_matched_mentee },
  { key: "cross_generation", trend: "cross_generation_pair_rate", value: (h) => h.cross_generation_pair_rate, percent: true },
];

/** How each tile writes its figure (and, rounded alike, its change since the first month). */
export function tileFormat(key: TileKey, currency: string): FigureFormat {
  switch (key) {
    case "topic_completion":
    case "cross_generation":
      return { kind: "percent" };
    case "satisfaction":
      return { kind: "number", digits: 2 };
    case "cost_per_matched_mentee":
      return { kind: "money", currency };
    default:
      return { kind: "number", digits: 0 };
  }
}

/** Where a cost per matched mentee stands against the market band (null: no band or no cost). */
export function bandPosition(report: ProgramReport, cost: number | null = report.costs.per_matched_mentee): "below" | "within" | "above" | null {
  const band = report.costs.market_band_per_mentee;
  if (!band || cost === null) return null;
  return cost < band.low ? "below" : cost > band.high ? "above" : "within";
}

/**
 * The overview tiles: each headline figure (the `data-value` attribute holds the raw JSON
 * number, so a test can compare it with the report endpoint), a detail line, the change since
 * the first month and a month-by-month sparkline. Filtered (`filtered`), the figures are the
 * filters' and the trends, which are program-wide, are left out.
 */
export function OverviewTiles({
  report,
  headline,
  filtered = false,
  trends,
  sparklines,
  bandChart = null,
  attention = null,
}: {
  report: ProgramReport;
  headline: Headline;
  filtered?: boolean;
  trends: TrendRow[];
  sparklines: Partial<Record<TileKey, RenderedChart | null>>;
  /** The cost per matched mentee on the market band (marketBandChart), when both exist. */
  bandChart?: RenderedChart | null;
  /** The pairs needing a check-in, with the link to the attention list: for readers who may open it (hr, admin); null for the others. */
  attention?: AttentionTileProps | null;
}) {
  const { f } = useT();
  const pt = usePageT(overviewMessages);
  const currency = report.program.currency;
  const band = report.costs.market_band_per_mentee;
  const position = bandPosition(report, headline.cost_per_matched_mentee);
  const title: Record<TileKey, string> = {
    participants: pt("participants"),
    pairs: pt("pairs"),
    active_pairs: pt("activePairs"),
    topic_completion: pt("topicCompletion"),
    satisfaction: pt("satisfaction"),
    cost_per_matched_mentee: pt("costPerMentee"),
    cross_generation: pt("crossGeneration"),
  };
  const display = (key: TileKey, v: number | null): string => f.figure(v, tileFormat(key, currency));
  const detail: Record<TileKey, string> = {
    participants: filtered
      ? pt("participantsFiltered")
      : pt("participantsDetail", {
          mentors: f.number(headline.mentors, 0),
          mentees: f.number(headline.mentees, 0),
          orgs: f.number(headline.organizations, 0),
        }),
    pairs: filtered ? pt("pairsFiltered") : pt("pairsDetail", { rate: f.percent(headline.match_rate) }),
    active_pairs: pt("activeDetail", { completed: f.number(headline.completed_pairs, 0), early: f.number(headline.ended_early_pairs, 0) }),
    topic_completion: pt("topicDetail", { acquired: f.number(headline.topics_acquired, 0), targeted: f.number(headline.topics_targeted, 0) }),
    satisfaction: pt("satisfactionDetail", { final: f.number(headline.final_satisfaction_mean, 2) }),
    cost_per_matched_mentee: band
      ? pt(position === "below" ? "bandBelow" : position === "above" ? "bandAbove" : "bandWithin", {
          low: f.money(band.low, "EUR"),
          high: f.money(band.high, "EUR"),
        })
      : pt("bandNone"),
    cross_generation: pt("crossDetail", { gap: f.number(headline.median_age_gap_years, 1) }),
  };
  return (
    <div className="tiles">
      {TILES.map((tile) => {
        const value = tile.value(headline);
        const known = filtered ? [] : trends.filter((row) => row[tile.trend] !== null);
        const first = known[0];
        const firstValue = first ? (first[tile.trend] as number) : null;
        let trendText = filtered ? pt("trendFiltered") : pt("trendNone");
        if (first && value !== null && firstValue !== null && known.length > 1) {
          // Rounded like the figure (+€47 beside €713, not +€47.02); a change that rounds to nothing is "no change".
          const shown = f.delta(value, value - firstValue, tileFormat(tile.key, currency));
          trendText = shown === null ? pt("trendFlat", { month: f.month(first.month) }) : pt("trendSince", { delta: shown, month: f.month(first.month) });
        }
        const spark = filtered ? null : sparklines[tile.key];
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
            {tile.key === "cost_per_matched_mentee" && bandChart && !filtered ? (
              <div className="band" data-chart="market-band" dangerouslySetInnerHTML={{ __html: bandChart.html }} />
            ) : null}
            {spark ? <div className="spark" aria-hidden="true" dangerouslySetInnerHTML={{ __html: spark.html }} /> : null}
          </section>
        );
      })}
      {attention ? <AttentionTile {...attention} /> : null}
    </div>
  );
}
