import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiProgram } from "../../analytics/auth/request.server.ts";
import { getJobStatus } from "../../analytics/dashboards/simulations.server.ts";

/** A simulation's progress as JSON, polled by the simulations page while it runs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireApiProgram(request, params.programId);
  const status = getJobStatus(params.programId!, params.jobId ?? "");
  const headers = { "Cache-Control": "no-store" };
  if (!status) return Response.json({ error: "not_found", message: "No such simulation (they are kept for an hour)." }, { status: 404, headers });
  return Response.json(status, { headers });
}
