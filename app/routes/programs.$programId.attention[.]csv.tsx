import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireApiProgram } from "../../analytics/auth/request.server.ts";
import { individualsOrg } from "../../analytics/auth/scope.server.ts";
import { parseAttentionQuery } from "../../analytics/dashboards/attention.ts";
import { dashboardContext } from "../../analytics/dashboards/context.server.ts";
import { getAttentionCsv } from "../../analytics/dashboards/pages.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { CSV_CONTENT_TYPE } from "../../analytics/domain/csv.ts";
import { localeFromRequest } from "../i18n/locale.ts";

/**
 * The attention list as CSV: the same pairs, in the same order, as the page's selection (the
 * filters bar's filters, category, reason, sort; every page). Individual-level like the pairs
 * Arrow: admin and hr only — 401 signed out, 404 outside the scope, 403 for other roles. Every
 * download is audited (`download_export`, dataset "attention"). In the reader's language's dialect
 * (French: `;`, decimal comma, byte-order mark), written once per data version, reader's view,
 * selection and language (pages.server.ts).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireApiProgram(request, params.programId);
  const noStore = { "Cache-Control": "private, no-store" };
  if (individualsOrg(signed.scope) === null) {
    return Response.json({ error: "forbidden", message: "The attention list shows individual pairs: it is for operators and HR only." }, { status: 403, headers: noStore });
  }
  const ctx = await dashboardContext(signed, request, params.programId!, "json");
  const db = await getAppDb();
  const query = parseAttentionQuery(new URL(request.url).searchParams);
  const file = await getAttentionCsv(db, params.programId!, ctx, query, localeFromRequest(request));
  if (!file) return Response.json({ error: "not_found" }, { status: 404, headers: noStore });
  const { rows } = file;
  // Already gzipped (the compression middleware leaves an encoded answer alone).
  const gzip = /(^|,)\s*gzip\s*(,|$)/.test(request.headers.get("Accept-Encoding") ?? "");
  await recordAudit(db, ctx.scope, "download_export", {
    programId: params.programId,
    format: "csv",
    dataset: "attention",
    rows,
    filters: ctx.filters,
    list: { category: query.category, reason: query.reason, sort: query.sort, dir: query.dir },
  });
  return new Response(gzip ? file.gzip : file.bytes, {
    headers: {
      ...noStore,
      ...(gzip ? { "Content-Encoding": "gzip" } : {}),
      Vary: "Accept-Encoding",
      "Content-Type": CSV_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="${params.programId!.replace(/[^A-Za-z0-9_.-]/g, "_")}-attention.csv"`,
    },
  });
}
