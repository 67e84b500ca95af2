import { useRevalidator } from "@remix-run/react";
import type { JobStatus } from "../../../analytics/matching/jobs.server.ts";
import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { usePageT, useT } from "../../i18n/use-t.ts";
import { usePolledJob } from "../../utils/use-polled-job.ts";

/** A simulation job's progress, polled while it runs; the page reloads its data once it ends. */
export function JobProgress({ programId, job }: { programId: string; job: JobStatus }) {
  const pt = usePageT(simulationsMessages);
  const { f } = useT();
  const revalidator = useRevalidator();
  const status =
    usePolledJob(job, {
      url: (j) => `/api/programs/${encodeURIComponent(programId)}/simulations/jobs/${j.id}`,
      running: (j) => j.status === "running",
      onFinished: () => revalidator.revalidate(),
    }) ?? job;
  if (status.status === "failed") return <p className="notice" data-job-status="failed">{pt("progress.failed", { error: status.error ?? "" })}</p>;
  if (status.status !== "running") return null;
  return (
    <div className="notice" data-job-status="running" aria-live="polite">
      <noscript>
        <meta httpEquiv="refresh" content="2" />
      </noscript>
      <strong>{pt("progress.title")}</strong>
      <br />
      <progress max={status.total} value={status.done} />
      <br />
      <small>{pt("progress.text", { done: f.number(status.done), total: f.number(status.total), label: status.label || "…" })}</small>
    </div>
  );
}
