import { Link } from "@remix-run/react";
import type { StoredRunRow } from "../../../analytics/dashboards/simulations.server.ts";
import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { usePageT, useT } from "../../i18n/use-t.ts";
import { useStrategyLabel } from "./strategy-label.ts";

/** The program's kept runs, newest first; `runId` is the one shown. */
export function StoredRuns({ runs, runId }: { runs: StoredRunRow[]; runId: number | null }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  const label = useStrategyLabel();
  return (
    <div className="section">
      <h3>{pt("runs.title")}</h3>
      {runs.length === 0 ? (
        <p className="empty" data-empty="runs">
          {pt("runs.empty")}
        </p>
      ) : (
        <table className="data" data-table="runs">
          <thead>
            <tr>
              <th scope="col">{pt("col.run")}</th>
              <th scope="col">{pt("col.date")}</th>
              <th scope="col">{pt("col.strategies")}</th>
              <th scope="col" className="num">{pt("col.seed")}</th>
              <th scope="col" className="num">{pt("col.runs")}</th>
              <th scope="col" className="num">{pt("col.elapsed")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.run_id} data-run-id={r.run_id} className={r.run_id === runId ? "active" : undefined}>
                <td>#{r.run_id}</td>
                <td>{f.date(String(r.created_at).slice(0, 10))}</td>
                <td>{r.strategies.map(label).join(", ")}</td>
                <td className="num">{r.seed}</td>
                <td className="num">{r.runs}</td>
                <td className="num">{r.elapsed_ms === null ? "–" : f.number(r.elapsed_ms / 1000, 1)}</td>
                <td>
                  <Link to={`?run=${r.run_id}`}>{pt("runs.open")}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
