import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { cachedByDataVersion } from "../../analytics/dashboards/cache.server.ts";
import { dashboardContext } from "../../analytics/dashboards/context.server.ts";
import { getGenerationsPage } from "../../analytics/dashboards/generations.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { GENERATION_KEYS } from "../../analytics/domain/generations.ts";
import { ChartFigure } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { barXChart } from "../components/charts/bar-x.ts";
import { generationsAgeGapsChart } from "../components/charts/generations-age-gaps.ts";
import { generationsMatrixChart } from "../components/charts/generations-matrix.ts";
import { generationsPyramidChart } from "../components/charts/generations-pyramid.ts";
import { groupedBarsChart } from "../components/charts/grouped-bars.ts";
import { renderChart } from "../components/charts/render.server.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { generationsMessages } from "../i18n/pages/generations.ts";
import { pageTranslator, translate } from "../i18n/translate.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

const HALF = 500;
type PageKey = keyof typeof generationsMessages.en;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const ctx = await dashboardContext(signed, request, params.programId!);
  const locale = localeFromRequest(request);
  const db = await getAppDb();
  const page = await getGenerationsPage(db, params.programId!, { audience: ctx.audience, orgId: ctx.orgId, k: ctx.k, filters: ctx.filters });
  if (!page) throw data("This program does not exist or is not shared with your organization.", { status: 404 });
  const pt = pageTranslator(generationsMessages, locale);
  const t = (key: string) => translate(locale, key as MessageKey);
  const generation = (key: string) => t(`generation.${key}`);
  const roleLabels = { mentor: t("role.mentor"), mentee: t("role.mentee") };
  const orgLabel = (r: { group_key: string; org_name: string | null }) => (r.group_key === "others" ? pt("others") : (r.org_name ?? r.group_key));
  // Rendered charts are cached with the page data (same key, plus the locale).
  const charts = await cachedByDataVersion(db, params.programId!, ["generations-charts", locale, ctx.audience, ctx.orgId, ctx.k, ctx.filters], async () => ({
    pyramid: renderChart(generationsPyramidChart, page.pyramid, { width: HALF, locale, roleLabels, coreLabel: pt("chart.pyramid.core") }),
    matrix: renderChart(
      generationsMatrixChart,
      page.matrix.map((r) => ({ mentor: generation(r.mentor_generation), mentee: generation(r.mentee_generation), pairs: r.pairs })),
      {
        width: HALF,
        locale,
        order: GENERATION_KEYS.map(generation),
        mentorLabel: pt("chart.matrix.mentor"),
        menteeLabel: pt("chart.matrix.mentee"),
        hiddenText: t("value.hidden"),
      },
    ),
    gaps: renderChart(
      generationsAgeGapsChart,
      page.age_gaps.flatMap((r) => [
        { band_start_years: r.band_start_years, kind: pt("chart.gaps.same"), pairs: r.pairs === null ? null : r.pairs - (r.pairs_cross_generation ?? 0) },
        { band_start_years: r.band_start_years, kind: pt("chart.gaps.cross"), pairs: r.pairs_cross_generation },
      ]),
      { width: HALF, locale, xLabel: pt("chart.gaps.x") },
    ),
    octaves: renderChart(
      groupedBarsChart,
      page.octaves.map((r) => ({ x: roleLabels[r.role], series: pt(`octave.${r.octave}` as PageKey), value: r.participants })),
      { width: HALF, locale },
    ),
    orgs: renderChart(barXChart, page.by_organization.map((r) => ({ label: orgLabel(r), value: r.outside_core_share, hidden: r.suppressed || r.suppressed_fields.includes("outside_core_share") })), { width: HALF, locale, percent: true }),
  }));
  return { page, charts };
}

export default function GenerationsPage() {
  const { page, charts } = useLoaderData<typeof loader>();
  const { t, f } = useT();
  const pt = usePageT(generationsMessages);
  const s = page.summary;
  const num = (v: unknown) => f.number(v as number | null);
  const pct = (v: unknown) => f.percent(v as number | null);
  const gen = (v: unknown) => t(`generation.${String(v)}` as MessageKey);
  const role = (v: unknown) => t(`role.${String(v)}` as MessageKey);
  return (
    <section className="dashboard" data-page="generations">
      <h2>{pt("title")}</h2>
      <p className="lead">{pt("intro")}</p>
      {s.participants === 0 ? (
        <p className="empty" data-empty="true">
          {pt("empty")}
        </p>
      ) : null}
      <div className="tiles">
        <div className="tile" data-figure="outside_core_share" data-value={String(s.outside_core_share ?? "")}>
          <h3>{pt("tile.outside")}</h3>
          <p className="value">{f.percent(s.outside_core_share)}</p>
          <p className="detail">{pt("tile.outside.detail", { n: f.number(s.participants_outside_core), total: f.number(s.participants) })}</p>
        </div>
        <div className="tile" data-figure="cross_generation_pair_rate" data-value={String(s.cross_generation_pair_rate ?? "")}>
          <h3>{pt("tile.cross")}</h3>
          <p className="value">{f.percent(s.cross_generation_pair_rate)}</p>
          <p className="detail">{pt("tile.cross.detail", { n: f.number(s.pairs_cross_generation), total: f.number(s.pairs) })}</p>
        </div>
        <div className="tile" data-figure="median_age_gap_years" data-value={String(s.median_age_gap_years ?? "")}>
          <h3>{pt("tile.gap")}</h3>
          <p className="value">{s.median_age_gap_years === null ? f.number(null) : pt("tile.gap.value", { years: f.number(s.median_age_gap_years) })}</p>
          <p className="detail">{pt("tile.gap.detail")}</p>
        </div>
        <div className="tile" data-figure="pairs_reverse" data-value={String(s.pairs_reverse ?? "")}>
          <h3>{pt("tile.reverse")}</h3>
          <p className="value">{f.number(s.pairs_reverse)}</p>
          <p className="detail">{pt("tile.reverse.detail", { rate: f.percent(s.reverse_pair_rate), younger: f.number(s.pairs_younger_mentor) })}</p>
        </div>
        <div className="tile" data-figure="participants_by_generation">
          <h3>{pt("tile.generations")}</h3>
          <p className="detail">
            {GENERATION_KEYS.map((key) => (
              <span key={key} data-generation={key}>
                {t(`generation.${key}` as MessageKey)}: {s.participants_by_generation[key] === null ? t("value.hidden") : f.number(s.participants_by_generation[key])}
                <br />
              </span>
            ))}
          </p>
        </div>
      </div>
      <div className="charts">
        <ChartFigure
          id="generations-pyramid"
          title={pt("chart.pyramid.title")}
          caption={pt("chart.pyramid.caption")}
          chart={charts.pyramid}
          rows={page.pyramid}
          columns={[
            { key: "role", label: pt("col.role"), format: role },
            { key: "band_start_years", label: pt("col.band"), numeric: true, format: num },
            { key: "participants", label: pt("col.participants"), numeric: true, format: num },
            { key: "participants_outside_core", label: pt("col.outside"), numeric: true, format: num },
          ]}
        />
        <ChartFigure
          id="generations-matrix"
          title={pt("chart.matrix.title")}
          caption={pt("chart.matrix.caption")}
          chart={charts.matrix}
          rows={page.matrix}
          columns={[
            { key: "mentor_generation", label: pt("col.mentorGen"), format: gen },
            { key: "mentee_generation", label: pt("col.menteeGen"), format: gen },
            { key: "pairs", label: pt("col.pairs"), numeric: true, format: num },
            { key: "pairs_reverse", label: pt("col.reverse"), numeric: true, format: num },
          ]}
        />
        <ChartFigure
          id="generations-age-gaps"
          title={pt("chart.gaps.title")}
          caption={pt("chart.gaps.caption")}
          chart={charts.gaps}
          rows={page.age_gaps}
          columns={[
            { key: "band_start_years", label: pt("col.gapBand"), numeric: true, format: num },
            { key: "pairs", label: pt("col.pairs"), numeric: true, format: num },
            { key: "pairs_cross_generation", label: pt("col.crossPairs"), numeric: true, format: num },
          ]}
        />
        <ChartFigure
          id="generations-octaves"
          title={pt("chart.octaves.title")}
          caption={pt("chart.octaves.caption")}
          chart={charts.octaves}
          rows={page.octaves}
          columns={[
            { key: "role", label: pt("col.role"), format: role },
            { key: "octave", label: pt("col.octave"), format: (v) => pt(`octave.${String(v)}` as PageKey) },
            { key: "participants", label: pt("col.participants"), numeric: true, format: num },
          ]}
        />
      </div>
      <div className="section">
        <ChartFigure
          id="generations-by-organization"
          title={pt("chart.orgs.title")}
          caption={pt("chart.orgs.caption")}
          chart={charts.orgs}
          rows={page.by_organization}
          columns={[
            { key: "group_key", label: pt("col.org"), format: (v, r) => (v === "others" ? pt("others") : (r.org_name ?? String(v))) },
            { key: "participants", label: pt("col.participants"), numeric: true, format: num },
            { key: "outside_core_share", label: pt("col.outsideShare"), numeric: true, format: pct },
            { key: "pairs", label: pt("col.pairs"), numeric: true, format: num },
            { key: "cross_generation_pair_rate", label: pt("col.crossRate"), numeric: true, format: pct },
            { key: "pairs_reverse", label: pt("col.reverse"), numeric: true, format: num },
            { key: "median_age_gap_years", label: pt("col.medianGap"), numeric: true, format: num },
          ]}
        />
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
