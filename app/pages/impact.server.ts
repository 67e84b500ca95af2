/**
 * The Impact page's data and charts (issue 13): the report's impact section for the reader
 * (scope and suppression as the JSON report: docs/privacy.md), the ladder from the report's
 * other figures, and the charts rendered on the server in the reader's locale.
 */
import { data } from "@remix-run/node";
import type { Signed } from "../../analytics/auth/request.server.ts";
import { dashboardContext, reportOptions } from "../../analytics/dashboards/context.server.ts";
import { cachedByDataVersion } from "../../analytics/metrics/cache.server.ts";
import { getCachedReport } from "../../analytics/dashboards/pages.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import type { OutcomeFigures } from "../../analytics/impact/estimate.ts";
import { DEFAULT_HORIZON_MONTHS, MAX_HORIZON_MONTHS } from "../../analytics/metrics/impact.server.ts";
import { impactCurvesChart, impactEffectsChart, type ImpactCurvePoint, type ImpactEffectRow } from "../components/charts/impact-curves.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import { impactMessages } from "../i18n/pages/impact.ts";
import { localeFromRequest, type Locale } from "../i18n/locale.ts";
import { pageTranslator } from "../i18n/translate.ts";
import { NOT_FOUND } from "./dashboard.server.ts";

/** The horizon of `?horizon=`: a whole number of months 1–120, else the default (12). */
export function horizonFromRequest(request: Request): number {
  const raw = new URL(request.url).searchParams.get("horizon");
  const n = raw !== null && /^\d{1,3}$/.test(raw) ? Number(raw) : DEFAULT_HORIZON_MONTHS;
  return n >= 1 && n <= MAX_HORIZON_MONTHS ? n : DEFAULT_HORIZON_MONTHS;
}

function curvePoints(o: OutcomeFigures, names: { participants: string; comparison: string; naive: string }): ImpactCurvePoint[] {
  return o.curves.flatMap((c) => [
    { month: c.month, series: names.participants, rate: c.participants, low: c.participants_ci95[0], high: c.participants_ci95[1] },
    { month: c.month, series: names.comparison, rate: c.comparison, low: c.comparison_ci95[0], high: c.comparison_ci95[1] },
    { month: c.month, series: names.naive, rate: c.naive_comparison, low: null, high: null },
  ]);
}

export async function impactPage(signed: Signed, request: Request, programId: string) {
  const ctx = await dashboardContext(signed, request, programId);
  const locale: Locale = localeFromRequest(request);
  const db = await getAppDb();
  const horizon = horizonFromRequest(request);
  const options = { ...reportOptions(ctx), impact: { horizonMonths: horizon } };
  // The page's charts too are made once per data version, reader, horizon and locale (three
  // Plot charts took as long as the rest of the request).
  const page = await cachedByDataVersion(db, programId, ["impact-page", options, ctx.k, locale], async () => {
    const report = await getCachedReport(db, programId, options);
    return report ? impactPageData(report, ctx, locale, horizon) : null;
  });
  if (!page) throw data(NOT_FOUND, { status: 404 });
  return page;
}

/**
 * The names of the organizations the impact section names by identifier (its groups and its
 * balance table): "Laiteries Beaumanoir", not "BEAUMANOIR". Only those: the breakdown's other
 * names do not travel to the page.
 */
function organizationNames(report: NonNullable<Awaited<ReturnType<typeof getCachedReport>>>): Record<string, string> {
  const impact = report.impact!;
  const ids = new Set<string>();
  for (const o of [impact.retention, impact.promotion]) {
    for (const r of o?.by_organization ?? []) ids.add(r.org_id);
    for (const b of o?.balance ?? []) if (b.covariate === "organization") ids.add(b.level);
  }
  const names: Record<string, string> = {};
  for (const row of report.breakdowns.by_organization) if (ids.has(row.group) && row.label) names[row.group] = row.label;
  return names;
}

function impactPageData(report: NonNullable<Awaited<ReturnType<typeof getCachedReport>>>, ctx: Awaited<ReturnType<typeof dashboardContext>>, locale: Locale, horizon: number) {
  const impact = report.impact!;
  const pt = pageTranslator(impactMessages, locale);
  const names = { participants: pt("series.participants"), comparison: pt("series.comparison"), naive: pt("series.naive") };
  const curves = {
    retention: impact.retention?.status === "ok" ? curvePoints(impact.retention, names) : [],
    promotion: impact.promotion?.status === "ok" ? curvePoints(impact.promotion, names) : [],
  };
  const effects: ImpactEffectRow[] = [];
  for (const outcome of ["retention", "promotion"] as const) {
    const o = impact[outcome];
    if (!o || o.status !== "ok" || o.effect === null || o.naive_effect === null) continue;
    effects.push({ outcome: pt(`outcome.${outcome}`), kind: pt("kind.effect"), value: o.effect, low: o.ci95?.[0] ?? null, high: o.ci95?.[1] ?? null });
    effects.push({ outcome: pt(`outcome.${outcome}`), kind: pt("kind.naive"), value: o.naive_effect, low: null, high: null });
  }
  const monthLabel = pt("axis.month");
  const order = [names.participants, names.comparison, names.naive];
  const charts = {
    retention: renderChart(impactCurvesChart, curves.retention, { width: 560, phoneWidth: PHONE_WIDTH, locale, monthLabel, dashed: names.naive, order }),
    promotion: renderChart(impactCurvesChart, curves.promotion, { width: 560, phoneWidth: PHONE_WIDTH, locale, monthLabel, dashed: names.naive, order }),
    effects: renderChart(impactEffectsChart, effects, { width: 640, phoneWidth: PHONE_WIDTH, locale }),
  };
  const ladder = {
    final_satisfaction: report.quality.final_satisfaction_mean,
    topics_acquired: report.topics.acquired,
    completion_rate: report.topics.completion_rate,
    meeting_regularity: report.quality.meeting_regularity,
    reverse_pairs: report.pairs.reverse,
    pairs: report.pairs.total,
    cross_generation_pair_rate: report.generations.cross_generation_pair_rate,
    organizations: report.participants.organizations,
  };
  return { program: report.program, audience: ctx.audience, k: ctx.k, horizon, impact, curves, effects, charts, ladder, orgNames: organizationNames(report) };
}
