import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { ChartFigure } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { costsMessages } from "../i18n/pages/costs.ts";
import { translate } from "../i18n/translate.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";
import { costOrgName } from "../pages/labels.ts";

type PageKey = keyof typeof costsMessages.en;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const { data: page, charts, locale } = await dashboardPage(signed, request, params.programId!, "costs");
  const ignored = page.ignored_filters.map((name) => translate(locale, `filters.${name}` as MessageKey));
  return { page, charts, ignored };
}

export default function CostsPage() {
  const { page, charts, ignored } = useLoaderData<typeof loader>();
  const { f } = useT();
  const pt = usePageT(costsMessages);
  const s = page.summary;
  const money = (v: unknown) => f.money(v as number | null, s.currency);
  const num = (v: unknown) => f.number(v as number | null);
  const pct = (v: unknown) => f.percent(v as number | null);
  const category = (v: unknown) => pt(`cat.${String(v)}` as PageKey);
  const band = s.market_band_per_mentee;
  const position =
    band && s.cost_per_matched_mentee !== null
      ? s.cost_per_matched_mentee < band.low
        ? "below"
        : s.cost_per_matched_mentee > band.high
          ? "above"
          : "within"
      : null;
  return (
    <section className="dashboard" data-page="costs">
      <h2>{pt("title")}</h2>
      <p className="lead">{pt("intro")}</p>
      {ignored.length > 0 ? (
        <p className="notice" data-ignored-filters={page.ignored_filters.join(",")}>
          {pt("ignored", { names: ignored.join(", ") })}
        </p>
      ) : null}
      {page.applied_filters.some((name) => name === "from" || name === "to") ? (
        <p className="notice" data-dates-note="true">
          {pt("dates")}
        </p>
      ) : null}
      {page.money_hidden ? (
        <p className="notice" data-money-hidden={page.money_hidden}>
          {pt("moneyHidden")}
        </p>
      ) : s.costs_total === null ? (
        <p className="empty" data-empty="true">
          {pt("empty")}
        </p>
      ) : null}
      <div className="tiles">
        <div className="tile" data-figure="total" data-value={String(s.costs_total ?? "")}>
          <h3>{pt("tile.total")}</h3>
          <p className="value">{f.money(s.costs_total, s.currency)}</p>
          <p className="detail">{pt("tile.total.detail", { lines: f.number(s.cost_lines) })}</p>
        </div>
        <div className="tile" data-figure="per_participant" data-value={String(s.cost_per_participant ?? "")}>
          <h3>{pt("tile.participant")}</h3>
          <p className="value">{f.money(s.cost_per_participant, s.currency)}</p>
          <p className="detail">{pt("tile.participant.detail", { n: f.number(s.participants) })}</p>
        </div>
        <div className={`tile${position ? ` band-${position}` : ""}`} data-figure="per_matched_mentee" data-value={String(s.cost_per_matched_mentee ?? "")}>
          <h3>{pt("tile.mentee")}</h3>
          <p className="value">{f.money(s.cost_per_matched_mentee, s.currency)}</p>
          <p className="detail">
            {pt("tile.mentee.detail", { n: f.number(s.matched_mentees) })}
            {band ? (
              <>
                <br />
                {pt("tile.mentee.band", { low: f.money(band.low, s.currency), high: f.money(band.high, s.currency) })}
                {position ? ` — ${pt(`band.${position}` as PageKey)}` : null}
              </>
            ) : null}
          </p>
        </div>
        <div className="tile" data-figure="per_completed_pair" data-value={String(s.cost_per_completed_pair ?? "")}>
          <h3>{pt("tile.pair")}</h3>
          <p className="value">{f.money(s.cost_per_completed_pair, s.currency)}</p>
          <p className="detail">{pt("tile.pair.detail", { n: f.number(s.pairs_completed) })}</p>
        </div>
        <div className="tile" data-figure="per_acquired_topic" data-value={String(s.cost_per_acquired_topic ?? "")}>
          <h3>{pt("tile.topic")}</h3>
          <p className="value">{f.money(s.cost_per_acquired_topic, s.currency)}</p>
          <p className="detail">{pt("tile.topic.detail", { n: f.number(s.topics_acquired) })}</p>
        </div>
      </div>
      <ChartFigure
        id="costs-market-band"
        title={pt("chart.band.title")}
        caption={pt("chart.band.caption")}
        chart={charts.band}
        rows={page.by_organization.filter((r) => r.group_key !== "unattributed")}
        columns={[
          { key: "group_key", label: pt("col.org"), format: (v, r) => costOrgName(pt, r) },
          { key: "matched_mentees", label: pt("col.mentees"), numeric: true, format: num },
          { key: "cost_per_matched_mentee", label: pt("col.perMentee"), numeric: true, format: money },
        ]}
        emptyText={pt("empty")}
      />
      <div className="charts section">
        <ChartFigure
          id="costs-by-category"
          title={pt("chart.categories.title")}
          caption={pt("chart.categories.caption")}
          chart={charts.categories}
          rows={page.by_category}
          columns={[
            { key: "cost_category", label: pt("col.category"), format: category },
            { key: "amount", label: pt("col.amount"), numeric: true, format: money },
            { key: "cost_lines", label: pt("col.lines"), numeric: true, format: num },
            { key: "share", label: pt("col.share"), numeric: true, format: pct },
          ]}
          emptyText={pt("empty")}
        />
        <ChartFigure
          id="costs-by-month"
          title={pt("chart.months.title")}
          caption={pt("chart.months.caption")}
          chart={charts.months}
          rows={page.by_month}
          columns={[
            { key: "month", label: pt("col.month"), format: (v) => f.month(String(v)) },
            { key: "cost_category", label: pt("col.category"), format: category },
            { key: "amount", label: pt("col.amount"), numeric: true, format: money },
          ]}
          emptyText={pt("empty")}
        />
        <ChartFigure
          id="costs-by-organization"
          title={pt("chart.orgs.title")}
          // A protected reader sees its organization and "others", shared lines merged into the latter (sql/dashboards/costs_by_organization.sql).
          caption={page.by_organization.some((r) => r.group_key === "others") ? pt("chart.orgs.captionOthers") : pt("chart.orgs.caption")}
          chart={charts.orgs}
          rows={page.by_organization}
          columns={[
            { key: "group_key", label: pt("col.org"), format: (v, r) => costOrgName(pt, r) },
            { key: "amount", label: pt("col.amount"), numeric: true, format: money },
            { key: "participants", label: pt("col.participants"), numeric: true, format: num },
            { key: "matched_mentees", label: pt("col.mentees"), numeric: true, format: num },
            { key: "cost_per_participant", label: pt("col.perParticipant"), numeric: true, format: money },
            { key: "cost_per_matched_mentee", label: pt("col.perMentee"), numeric: true, format: money },
          ]}
          emptyText={pt("empty")}
        />
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
