/**
 * The page pipeline of the dashboards: a route asks for a page by name and gets its data (and
 * its rendered charts, when it passes a renderer), computed once per view and kept until the
 * program's data changes.
 *
 *   route ─ dashboardContext (context.server.ts: audience, k, organization, filters through the
 *           query space)
 *         → getPage(name) (here: the view's cache key, one cache entry for data and charts)
 *         → the page's data function (overview, quality, topics…: SQL and suppression)
 *         → dashboardSql / withPage (page-query.server.ts) → sql/dashboards/*.sql
 *
 * Cache keys are built here only (`viewKey`): each page names what its data depends on, so a
 * view shared by several readers (the same audience, organization, threshold and filters) is
 * computed once, and a key never misses a part the data depends on. The cache itself
 * (cache.server.ts) adds the database, the program's data version, its invalidation stamp and
 * the day.
 */
import { gzipSync } from "node:zlib";
import { individualsOrg } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import type { CsvLocale } from "../domain/csv.ts";
import { getProgramReport, type ProgramReport, type ReportOptions } from "../report/report.server.ts";
import { cachedByDataVersion } from "../metrics/cache.server.ts";
import { attentionCsv, getAttention, getAttentionCounts } from "./attention.server.ts";
import type { AttentionQuery } from "./attention.ts";
import { getProgramHeader, reportOptions, type DashboardContext } from "./context.server.ts";
import { getCostsPage } from "./costs.server.ts";
import { NO_FILTERS } from "../domain/filters.ts";
import { getGenerationsPage } from "./generations.server.ts";
import { getOverview } from "./overview.server.ts";
import { getPairsArrow } from "./pairs-arrow.server.ts";
import type { PageOptions } from "./page-query.server.ts";
import { getQuality } from "./quality.server.ts";
import { getTopicsPage } from "./topics.server.ts";

/** What a page's data may depend on in the reader's context (each is a part of its cache key). */
type Dependency = "audience" | "orgId" | "k" | "filters" | "individuals";

interface PageDefinition<D> {
  /** The parts of the context the data depends on; nothing else may change it. */
  dependsOn: readonly Dependency[];
  /** The page's data for this reader; null when the program does not exist. */
  load(db: Db, programId: string, ctx: DashboardContext): Promise<D | null>;
  /** true for data that is not final yet (not kept: the next request loads it again). */
  provisional?(data: D): boolean;
}

const page = <D>(definition: PageDefinition<D>): PageDefinition<D> => definition;

/** How long the attention page waits for the early-warning model before it lists the pairs in matched order. */
export const ATTENTION_MODEL_WAIT_MS = 3000;

/** The options of the topic, generation and cost pages for this reader. */
function pageOptions(ctx: DashboardContext): PageOptions {
  return { audience: ctx.audience, orgId: ctx.orgId, k: ctx.k, filters: ctx.filters };
}

/** The print report depends on the audience only: k and organization follow from it. */
const REPORT: readonly Dependency[] = ["audience", "orgId", "k"];
const PAGE: readonly Dependency[] = ["audience", "orgId", "k", "filters"];

export const PAGES = {
  /** The program layout's header and filter choices (a protected audience: its organization only). */
  header: page({ dependsOn: ["orgId"], load: (db, programId, ctx) => getProgramHeader(db, programId, ctx.scope) }),
  /** The tiles follow the filters (through the pages that publish the same figures). */
  overview: page({ dependsOn: PAGE, load: (db, programId, ctx) => getOverview(db, programId, { ...reportOptions(ctx), filters: ctx.filters }) }),
  /** The overview's figures, program-wide, and what each organization paid (the costs page's rows). */
  print: page({
    dependsOn: REPORT,
    load: async (db, programId, ctx) => {
      const overview = await getOverview(db, programId, reportOptions(ctx));
      const costs = await getCostsPage(db, programId, { ...pageOptions(ctx), filters: NO_FILTERS });
      return overview && costs ? { ...overview, costs_by_organization: costs.by_organization, money_hidden: costs.money_hidden } : null;
    },
  }),
  quality: page({
    dependsOn: ["k", "orgId", "filters", "individuals"],
    load: (db, programId, ctx) => getQuality(db, programId, { k: ctx.k, filters: ctx.filters, individualsOrg: individualsOrg(ctx.scope), orgId: ctx.orgId }),
  }),
  topics: page({ dependsOn: PAGE, load: (db, programId, ctx) => getTopicsPage(db, programId, pageOptions(ctx)) }),
  generations: page({ dependsOn: PAGE, load: (db, programId, ctx) => getGenerationsPage(db, programId, pageOptions(ctx)) }),
  costs: page({ dependsOn: PAGE, load: (db, programId, ctx) => getCostsPage(db, programId, pageOptions(ctx)) }),
  /** The attention list (every visible active pair, by category), for a reader who may see individual pairs (others: null). */
  attention: page({
    dependsOn: ["individuals", "filters"],
    // The list does not wait more than a few seconds for the early-warning model's first fit
    // (100 s at 200,000 participants on a loaded machine): it says the order is coming.
    load: async (db, programId, ctx) => {
      const org = individualsOrg(ctx.scope);
      return org === null ? null : getAttention(db, programId, org, ctx.filters, { modelWaitMs: ATTENTION_MODEL_WAIT_MS });
    },
    provisional: (data) => data.model_pending,
  }),
  /** The attention list's pairs by category (the overview's tile), without the early-warning model the list's order needs. */
  "attention-counts": page({
    dependsOn: ["individuals", "filters"],
    load: async (db, programId, ctx) => {
      const org = individualsOrg(ctx.scope);
      return org === null ? null : getAttentionCounts(db, programId, org, ctx.filters);
    },
  }),
  /** The pairs detail as Arrow, for a reader who may see individual pairs (others: null). */
  "pairs-arrow": page({
    dependsOn: ["individuals", "filters"],
    load: async (db, programId, ctx) => {
      const org = individualsOrg(ctx.scope);
      return org === null ? null : getPairsArrow(db, programId, org, ctx.filters);
    },
  }),
};

export type PageName = keyof typeof PAGES;
export type PageData<N extends PageName> = (typeof PAGES)[N] extends PageDefinition<infer D> ? D : never;

function dependencyValue(ctx: DashboardContext, dependency: Dependency): unknown {
  switch (dependency) {
    case "audience":
      return ctx.audience;
    case "orgId":
      return ctx.orgId;
    case "k":
      return ctx.k;
    // Normalized, so that `{}` and explicit defaults share an entry.
    case "filters":
      return { ...NO_FILTERS, ...ctx.filters };
    case "individuals":
      return individualsOrg(ctx.scope);
  }
}

/**
 * The cache key of a view: the page, the locale of its rendered charts (null: data only) and
 * the parts of the reader's context the page depends on.
 */
export function viewKey(name: PageName, ctx: DashboardContext, locale: string | null): unknown[] {
  const parts = Object.fromEntries(PAGES[name].dependsOn.map((d) => [d, dependencyValue(ctx, d)]));
  return ["page", name, locale, parts];
}

/** Renders a page's charts from its data, in one locale (app/pages/*.server.ts). */
export interface PageRenderer<D, C> {
  locale: string;
  render(data: D): C;
}

export interface Page<D, C> {
  data: D;
  /** What the renderer made of the data (null without a renderer). */
  charts: C;
}

/**
 * The page `name` of `programId` for the reader `ctx`: its data, and its charts when `renderer`
 * is given, computed together once per view and kept until the program's data (or the day)
 * changes. null when the program does not exist (or, for pairs-arrow, when the reader may not
 * see individual pairs). Cached pages are shared between requests: callers must not mutate them.
 */
export function getPage<N extends PageName, C = null>(
  db: Db,
  programId: string,
  name: N,
  ctx: DashboardContext,
  renderer?: PageRenderer<PageData<N>, C>,
): Promise<Page<PageData<N>, C> | null> {
  const definition = PAGES[name] as unknown as PageDefinition<PageData<N>>;
  return cachedByDataVersion(
    db,
    programId,
    viewKey(name, ctx, renderer?.locale ?? null),
    async () => {
      const data = await definition.load(db, programId, ctx);
      if (data === null) return null;
      return { data, charts: (renderer ? renderer.render(data) : null) as C };
    },
    undefined,
    (page) => !(page && definition.provisional?.(page.data)),
  );
}

/**
 * The program report for `options`, cached like the pages: the JSON endpoint and the programs
 * comparison (analytics/programs/compare.server.ts) share its entries.
 */
export function getCachedReport(db: Db, programId: string, options: ReportOptions): Promise<ProgramReport | null> {
  return cachedByDataVersion(db, programId, ["report", options], () => getProgramReport(db, programId, options));
}

/** The attention list's CSV download: its UTF-8 bytes, gzipped too, and its number of pairs. */
export interface AttentionCsvFile {
  bytes: Uint8Array<ArrayBuffer>;
  /** `bytes` gzipped once, for the readers whose browser takes gzip (the server would gzip ~9 MB on each download). */
  gzip: Uint8Array<ArrayBuffer>;
  rows: number;
}

/**
 * The attention list's CSV for the reader `ctx`, the list's selection `query` (every page: the
 * page number is not part of it) and the language `locale`, kept like the pages until the
 * program's data (or the day) changes: at 200,000 participants the file is ~9 MB and took ~0.6 s
 * to write on every request. Its key is the attention page's view key (which pairs the reader may
 * see individually, the filters) plus the language and the selection, so no reader is given a
 * file written for another scope or language. Kept as UTF-8 bytes: half the memory of the string,
 * which the byte-order mark makes two bytes a character, within the cache's budget for large
 * entries (cache.server.ts). null when the program does not exist or
 * the reader may not see individual pairs.
 */
export function getAttentionCsv(db: Db, programId: string, ctx: DashboardContext, query: AttentionQuery, locale: CsvLocale): Promise<AttentionCsvFile | null> {
  const selection = { category: query.category, reason: query.reason, sort: query.sort, dir: query.dir };
  return cachedByDataVersion(db, programId, ["attention-csv", viewKey("attention", ctx, null), locale, selection], async () => {
    // A download carries the early-warning scores: it waits for the model, not the page's few seconds.
    const org = individualsOrg(ctx.scope);
    const list = org === null ? null : await getAttention(db, programId, org, ctx.filters);
    if (!list) return null;
    const { csv, rows } = attentionCsv(list, { ...query, page: 1 }, locale);
    const bytes = new TextEncoder().encode(csv) as Uint8Array<ArrayBuffer>;
    return { bytes, gzip: new Uint8Array(gzipSync(bytes)) as Uint8Array<ArrayBuffer>, rows };
  }, (file) => (file ? file.bytes.byteLength + file.gzip.byteLength : 0));
}
