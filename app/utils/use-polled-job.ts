import { useEffect, useRef, useState } from "react";

export interface PolledJobOptions<T> {
  /** The job's JSON progress endpoint. */
  url: (job: T) => string;
  /** Whether the job still runs (polling stops once it does not). */
  running: (job: T) => boolean;
  /** Called once with the first answer that no longer runs (e.g. to revalidate the page). */
  onFinished?: (job: T) => void;
  intervalMs?: number;
}

/**
 * A server job's progress, polled while it runs: the import jobs (admin imports) and the
 * simulation jobs (simulations page) both answer their state as JSON at `url`. Starts from the
 * loader's state and follows it when the loader sends a new one. A network failure or a 5xx is
 * retried at the next tick; a 4xx (the job expired, or is not the reader's) stops the polling.
 */
export function usePolledJob<T>(initial: T | null, { url, running, onFinished, intervalMs = 400 }: PolledJobOptions<T>): T | null {
  const [job, setJob] = useState(initial);
  useEffect(() => setJob(initial), [initial]);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const polledUrl = job && running(job) ? url(job) : null;
  useEffect(() => {
    if (polledUrl === null) return;
    let stopped = false;
    const stop = () => {
      stopped = true;
      clearInterval(timer);
    };
    const timer = setInterval(async () => {
      const response = await fetch(polledUrl, { headers: { Accept: "application/json" } }).catch(() => null);
      if (stopped || !response) return;
      if (!response.ok) {
        if (response.status < 500) stop();
        return;
      }
      const next = (await response.json()) as T;
      if (stopped) return;
      setJob(next);
      if (!running(next)) {
        stop();
        finished.current?.(next);
      }
    }, intervalMs);
    return stop;
    // `running` is read for each answer; the polling restarts only when the URL changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [polledUrl, intervalMs]);
  return job;
}
