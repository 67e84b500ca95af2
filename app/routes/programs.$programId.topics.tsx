import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import type { TopicRow } from "../../analytics/dashboards/topics.server.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { topicsMessages } from "../i18n/pages/topics.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const { data: page, charts } = await dashboardPage(signed, request, params.programId!, "topics");
  return { page, charts };
}

export default function TopicsPage() {
  const { page, charts } = useLoaderData<typeof loader>();
  const { t, f } = useT();
  const pt = usePageT(topicsMessages);
  const s = page.summary;
  const withheld = page.breakdowns_withheld ? pt("tablesWithheld", { k: String(page.k) }) : undefined;
  const category = (key: unknown) => pt(`cat.${String(key ?? "other")}` as keyof typeof topicsMessages.en);
  const pct = (v: unknown) => f.percent(v as number | null);
  const num = (v: unknown) => f.number(v as number | null);
  const common: DataColumn<TopicRow>[] = [
    { key: "topics_targeted", label: pt("col.targeted"), numeric: true, format: num },
    { key: "topics_acquired", label: pt("col.acquired"), numeric: true, format: num },
    { key: "completion_rate", label: pt("col.rate"), numeric: true, format: pct },
    { key: "median_days_to_acquire", label: pt("col.days"), numeric: true, format: num },
    { key: "mentees", label: pt("col.mentees"), numeric: true, format: num },
  ];
  const topicColumns: DataColumn<TopicRow>[] = [
    { key: "group", label: "ID" },
    { key: "topic_name", label: pt("col.topic") },
    { key: "topic_category", label: pt("col.category"), format: category },
    ...common,
  ];
  const groupColumns = (label: string, format?: (v: unknown) => string): DataColumn<TopicRow>[] => [{ key: "group", label, format }, ...common];
  return (
    <section className="dashboard" data-page="topics">
      <h2>{pt("title")}</h2>
      <p className="lead">{pt("intro")}</p>
      {s.topics_targeted === 0 ? (
        <p className="empty" data-empty="true">
          {pt("empty")}
        </p>
      ) : null}
      <div className="tiles">
        <div className="tile" data-figure="topics_targeted" data-value={String(s.topics_targeted ?? "")}>
          <h3>{pt("tile.targeted")}</h3>
          <p className="value">{f.number(s.topics_targeted)}</p>
          <p className="detail">{pt("tile.targeted.detail", { mentees: f.number(s.mentees), pairs: f.number(s.pairs) })}</p>
        </div>
        <div className="tile" data-figure="topics_acquired" data-value={String(s.topics_acquired ?? "")}>
          <h3>{pt("tile.acquired")}</h3>
          <p className="value">{f.number(s.topics_acquired)}</p>
        </div>
        <div className="tile" data-figure="completion_rate" data-value={String(s.completion_rate ?? "")}>
          <h3>{pt("tile.rate")}</h3>
          <p className="value">{f.percent(s.completion_rate)}</p>
          <p className="detail">{pt("tile.rate.detail")}</p>
        </div>
        <div className="tile" data-figure="median_days_to_acquire" data-value={String(s.median_days_to_acquire ?? "")}>
          <h3>{pt("tile.days")}</h3>
          <p className="value">{s.median_days_to_acquire === null ? f.number(null) : pt("tile.days.value", { days: f.number(s.median_days_to_acquire) })}</p>
          <p className="detail">{pt("tile.days.detail")}</p>
        </div>
      </div>
      {page.breakdowns_scope === "organization" && page.filtered ? (
        <p className="notice" data-notice="tables-by-organization">
          {pt("tablesByOrganization")}
        </p>
      ) : null}
      <ChartFigure
        id="topics-by-topic"
        title={pt("chart.topics.title")}
        caption={pt("chart.topics.caption")}
        chart={charts.topics}
        rows={page.by_topic}
        columns={topicColumns}
        emptyText={withheld ?? pt("empty")}
      />
      <div className="charts section">
        <ChartFigure
          id="topics-by-category"
          title={pt("chart.categories.title")}
          caption={pt("chart.categories.caption")}
          chart={charts.categories}
          rows={page.by_category}
          columns={groupColumns(pt("col.category"), category)}
          emptyText={withheld}
        />
        <ChartFigure
          id="topics-days-to-acquire"
          title={pt("chart.days.title")}
          caption={pt("chart.days.caption")}
          chart={charts.days}
          rows={page.days_to_acquire}
          note={page.days_to_acquire.some((r) => r.suppressed) ? pt("chart.days.hiddenNote") : undefined}
          columns={[
            { key: "topic_category", label: pt("col.category"), format: category },
            { key: "band_start_days", label: pt("col.band"), numeric: true, format: num },
            { key: "topics_acquired", label: pt("col.acquired"), numeric: true, format: num },
          ]}
          emptyText={withheld}
        />
        <ChartFigure
          id="topics-by-cohort"
          title={pt("chart.cohorts.title")}
          caption={pt("chart.cohorts.caption")}
          chart={charts.cohorts}
          rows={page.by_cohort}
          columns={groupColumns(pt("col.cohort"), (v) => f.month(String(v)))}
          emptyText={withheld}
        />
        <ChartFigure
          id="topics-by-generation"
          title={pt("chart.generations.title")}
          caption={pt("chart.generations.caption")}
          chart={charts.generations}
          rows={page.by_generation}
          columns={groupColumns(pt("col.generation"), (v) => t(`generation.${String(v)}` as MessageKey))}
          emptyText={withheld}
        />
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
