import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { GENERATION_KEYS } from "../../analytics/domain/generations.ts";
import { ChartFigure } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { generationsMessages } from "../i18n/pages/generations.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";

type PageKey = keyof typeof generationsMessages.en;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const { data: page, charts } = await dashboardPage(signed, request, params.programId!, "generations");
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
      {page.tables_scope === "organization" && page.filtered ? (
        <p className="notice" data-notice="tables-by-organization">
          {pt("tablesByOrganization")}
        </p>
      ) : null}
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
                {t(`generation.${key}` as MessageKey)}{f.colon}{s.participants_by_generation[key] === null ? t("value.hidden") : f.number(s.participants_by_generation[key])}
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
          note={page.age_gaps.some((r) => r.suppressed) ? pt("chart.gaps.hiddenNote") : undefined}
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
          // Left out for a protected reader when the pyramid bands they add up are hidden
          // (analytics/dashboards/generations.server.ts): said, not "no data".
          emptyText={page.octaves.length === 0 && (s.participants ?? 0) > 0 ? pt("chart.octaves.withheld") : undefined}
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
