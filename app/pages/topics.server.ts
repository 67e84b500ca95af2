/** The charts of the topic completion page. */
import type { Suppressed } from "../../analytics/dashboards/page-suppression.ts";
import type { TopicRow, TopicsPage } from "../../analytics/dashboards/topics.server.ts";
import { barXChart } from "../components/charts/bar-x.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import { topicsCompletionChart } from "../components/charts/topics-completion.ts";
import { topicsDaysChart } from "../components/charts/topics-days.ts";
import { formatMonth } from "../i18n/format.ts";
import type { Locale } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { topicsMessages } from "../i18n/pages/topics.ts";
import { pageTranslator, translate } from "../i18n/translate.ts";

const WIDE = 1000;
const HALF = 500;

export function topicsCharts(page: TopicsPage, locale: Locale) {
  const pt = pageTranslator(topicsMessages, locale);
  const category = (key: string | null) => pt(`cat.${key ?? "other"}` as keyof typeof topicsMessages.en);
  const generation = (key: string) => translate(locale, `generation.${key}` as MessageKey);
  const rate = (rows: Suppressed<TopicRow>[], label: (r: TopicRow) => string) => rows.map((r) => ({ label: label(r), value: r.completion_rate, hidden: r.suppressed || r.suppressed_fields.includes("completion_rate") }));
  return {
    topics: renderChart(
      topicsCompletionChart,
      page.by_topic.map((r) => ({ label: r.topic_name ?? r.group, category: category(r.topic_category), targeted: r.topics_targeted, acquired: r.topics_acquired })),
      { width: WIDE, phoneWidth: PHONE_WIDTH, locale, acquiredLabel: pt("status.acquired"), pendingLabel: pt("status.pending") },
    ),
    categories: renderChart(barXChart, rate(page.by_category, (r) => category(r.group)), { width: HALF, phoneWidth: PHONE_WIDTH, locale, percent: true }),
    days: renderChart(
      topicsDaysChart,
      page.days_to_acquire.map((r) => ({ category: category(r.topic_category), band_start_days: r.band_start_days, topics_acquired: r.topics_acquired })),
      { width: HALF, phoneWidth: PHONE_WIDTH, locale, xLabel: pt("chart.days.x") },
    ),
    cohorts: renderChart(barXChart, rate(page.by_cohort, (r) => formatMonth(locale, r.group)), { width: HALF, phoneWidth: PHONE_WIDTH, locale, percent: true }),
    generations: renderChart(barXChart, rate(page.by_generation, (r) => generation(r.group)), { width: HALF, phoneWidth: PHONE_WIDTH, locale, percent: true }),
  };
}
