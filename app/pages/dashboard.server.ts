/**
 * What a dashboard route's loader calls: `dashboardPage(signed, request, programId, name)`
 * derives the reader's context (analytics/dashboards/context.server.ts: audience, k,
 * organization, filters through the query space), then asks the page pipeline
 * (analytics/dashboards/pages.server.ts) for the page's data and its charts rendered in the
 * reader's locale (this folder's `<page>.server.ts`), computed together once per view and
 * cached until the program's data changes. A program that does not exist, or is outside the
 * reader's scope, is a 404.
 */
import { data } from "@remix-run/node";
import type { Signed } from "../../analytics/auth/request.server.ts";
import { dashboardContext, type DashboardContext } from "../../analytics/dashboards/context.server.ts";
import { getPage, type Page, type PageData, type PageName } from "../../analytics/dashboards/pages.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { localeFromRequest, type Locale } from "../i18n/locale.ts";
import { costsCharts } from "./costs.server.ts";
import { generationsCharts } from "./generations.server.ts";
import { overviewCharts, printCharts } from "./overview.server.ts";
import { qualityCharts } from "./quality.server.ts";
import { topicsCharts } from "./topics.server.ts";

/** Each page's charts, by page name (pages without charts are data only). */
const CHARTS = {
  overview: overviewCharts,
  print: printCharts,
  quality: qualityCharts,
  topics: topicsCharts,
  generations: generationsCharts,
  costs: costsCharts,
} satisfies { [N in PageName]?: (data: PageData<N>, locale: Locale) => unknown };

export type ChartsOf<N extends PageName> = N extends keyof typeof CHARTS ? ReturnType<(typeof CHARTS)[N]> : null;

export interface DashboardPage<N extends PageName> extends Page<PageData<N>, ChartsOf<N>> {
  ctx: DashboardContext;
  locale: Locale;
  db: Db;
}

export const NOT_FOUND = "This program does not exist or is not shared with your organization.";

/** The page `name` of a program for a signed-in reader, or a thrown 404 (`requireProgram` first). */
export async function dashboardPage<N extends PageName>(signed: Signed, request: Request, programId: string, name: N): Promise<DashboardPage<N>> {
  const ctx = await dashboardContext(signed, request, programId);
  const locale = localeFromRequest(request);
  const db = await getAppDb();
  const charts = (CHARTS as unknown as Partial<Record<PageName, (data: PageData<N>, locale: Locale) => ChartsOf<N>>>)[name];
  const page = await getPage(db, programId, name, ctx, charts ? { locale, render: (d: PageData<N>) => charts(d, locale) } : undefined);
  if (!page) throw data(NOT_FOUND, { status: 404 });
  return { data: page.data, charts: page.charts as ChartsOf<N>, ctx, locale, db };
}
