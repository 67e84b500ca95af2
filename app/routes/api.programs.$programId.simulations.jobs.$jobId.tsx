import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiProgram } from "../../analytics/auth/request.server.ts";
import { getJobStatus } from "../../analytics/matching/jobs.server.ts";

/**
 * A simulation's progress as JSON, polled by the simulations page while it runs. Only the user
 * who started it (and admin) reads it: to anyone else it is 404, like an unknown id.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireApiProgram(request, params.programId);
  const status = getJobStatus(params.programId!, params.jobId ?? "", signed.scope);
  const headers = { "Cache-Control": "no-store" };
  if (!status) return Response.json({ error: "not_found", message: "No such simulation of yours (they are kept for an hour)." }, { status: 404, headers });
  return Response.json(status, { headers });
}
