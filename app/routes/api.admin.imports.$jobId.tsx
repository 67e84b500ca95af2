import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "../../analytics/auth/request.server.ts";
import { getImportJob } from "../../analytics/ops/import-jobs.server.ts";

/** An import's progress as JSON, polled by the import page while it runs (admin only). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireApiUser(request);
  const headers = { "Cache-Control": "no-store" };
  if (user.role !== "admin") return Response.json({ error: "forbidden", message: "Administrators only." }, { status: 403, headers });
  const job = getImportJob(params.jobId ?? "", user.userId);
  if (!job) return Response.json({ error: "not_found", message: "No such import (they are kept for an hour)." }, { status: 404, headers });
  const { id, state, phase, done, total, report, error } = job;
  return Response.json({ id, state, phase, done, total, report, error }, { headers });
}
