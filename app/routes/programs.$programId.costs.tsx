import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { cachedByDataVersion } from "../../analytics/dashboards/cache.server.ts";
import { dashboardContext } from "../../analytics/dashboards/context.server.ts";
import { getCostsPage, type CostOrganizationRow } from "../../analytics/dashboards/costs.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { ChartFigure } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { barXChart } from "../components/charts/bar-x.ts";
import { costsByMonthChart } from "../components/charts/costs-by-month.ts";
import { costsMarketBandChart } from "../components/charts/costs-market-band.ts";
import { renderChart } from "../components/charts/render.server.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { costsMessages } from "../i18n/pages/costs.ts";
import { pageTranslator, translate } from "../i18n/translate.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

const WIDE = 1000;
const HALF = 500;
type PageKey = keyof typeof costsMessages.en;

function orgName(pt: (key: PageKey) => string, r: Pick<CostOrganizationRow, "group_key" | "org_name">): string {
  if (r.group_key === "others") return pt("others");
  if (r.group_key === "unattributed") return pt("unattributed");
  return r.org_name ?? r.group_key;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const ctx = await dashboardContext(signed, request, params.programId!);
  const locale = localeFromRequest(request);
  const db = await getAppDb();
  const page = await getCostsPage(db, params.programId!, { audience: ctx.audience, orgId: ctx.orgId, k: ctx.k, filters: ctx.filters });
  if (!page) throw data("This program does not exist or is not shared with your organization.", { status: 404 });
  const pt = pageTranslator(costsMessages, locale);
  const category = (key: string) => pt(`cat.${key}` as PageKey) ?? key;
  const currency = page.summary.currency;
  const hasCosts = page.summary.costs_total !== null;
  const bandRows = hasCosts
    ? [
        { label: pt("chart.band.program"), value: page.summary.cost_per_matched_mentee },
        ...page.by_organization.filter((r) => r.group_key !== "unattributed" && r.amount !== null).map((r) => ({ label: orgName(pt, r), value: r.cost_per_matched_mentee })),
      ]
    : [];
  // Rendered charts are cached with the page data (same key, plus the locale).
  const charts = await cachedByDataVersion(db, params.programId!, ["costs-charts", locale, ctx.audience, ctx.orgId, ctx.k, ctx.filters], async () => ({
    band: renderChart(costsMarketBandChart, bandRows, {
      width: WIDE,
      locale,
      currency,
      band: page.summary.market_band_per_mentee,
      bandLabel: pt("chart.band.label"),
    }),
    categories: renderChart(barXChart, page.by_category.map((r) => ({ label: category(r.cost_category), value: r.amount })), { width: HALF, locale }),
    months: renderChart(
      costsByMonthChart,
      page.by_month.map((r) => ({ month: r.month, category: category(r.cost_category), amount: r.amount })),
      { width: HALF, locale, currency },
    ),
    orgs: !hasCosts ? null : renderChart(barXChart, page.by_organization.map((r) => ({ label: orgName(pt, r), value: r.amount, hidden: r.suppressed_fields.includes("amount") })), { width: HALF, locale }),
  }));
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
          { key: "group_key", label: pt("col.org"), format: (v, r) => orgName(pt, r) },
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
          caption={pt("chart.orgs.caption")}
          chart={charts.orgs}
          rows={page.by_organization}
          columns={[
            { key: "group_key", label: pt("col.org"), format: (v, r) => orgName(pt, r) },
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
