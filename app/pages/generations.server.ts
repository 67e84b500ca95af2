/** The charts of the generational mix page. */
import type { GenerationsPage } from "../../analytics/dashboards/generations.server.ts";
import { GENERATION_KEYS } from "../../analytics/domain/generations.ts";
import { barXChart } from "../components/charts/bar-x.ts";
import { generationsAgeGapsChart } from "../components/charts/generations-age-gaps.ts";
import { generationsMatrixChart } from "../components/charts/generations-matrix.ts";
import { generationsPyramidChart } from "../components/charts/generations-pyramid.ts";
import { groupedBarsChart } from "../components/charts/grouped-bars.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import type { Locale } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { generationsMessages } from "../i18n/pages/generations.ts";
import { pageTranslator, translate } from "../i18n/translate.ts";

const HALF = 500;
type PageKey = keyof typeof generationsMessages.en;

export function generationsCharts(page: GenerationsPage, locale: Locale) {
  const pt = pageTranslator(generationsMessages, locale);
  const t = (key: string) => translate(locale, key as MessageKey);
  const generation = (key: string) => t(`generation.${key}`);
  const roleLabels = { mentor: t("role.mentor"), mentee: t("role.mentee") };
  const orgLabel = (r: { group_key: string; org_name: string | null }) => (r.group_key === "others" ? pt("others") : (r.org_name ?? r.group_key));
  return {
    pyramid: renderChart(generationsPyramidChart, page.pyramid, { width: HALF, phoneWidth: PHONE_WIDTH, locale, roleLabels, coreLabel: pt("chart.pyramid.core") }),
    matrix: renderChart(
      generationsMatrixChart,
      page.matrix.map((r) => ({ mentor: generation(r.mentor_generation), mentee: generation(r.mentee_generation), pairs: r.pairs })),
      {
        width: HALF,
        phoneWidth: PHONE_WIDTH,
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
      { width: HALF, phoneWidth: PHONE_WIDTH, locale, xLabel: pt("chart.gaps.x") },
    ),
    octaves: renderChart(
      groupedBarsChart,
      page.octaves.map((r) => ({ x: roleLabels[r.role], series: pt(`octave.${r.octave}` as PageKey), value: r.participants })),
      { width: HALF, phoneWidth: PHONE_WIDTH, locale },
    ),
    orgs: renderChart(barXChart, page.by_organization.map((r) => ({ label: orgLabel(r), value: r.outside_core_share, hidden: r.suppressed || r.suppressed_fields.includes("outside_core_share") })), { width: HALF, phoneWidth: PHONE_WIDTH, locale, percent: true }),
  };
}
