import type { SimulatedPair } from "../../../analytics/dashboards/simulations.server.ts";
import type { MessageKey } from "../../i18n/messages.ts";
import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { usePageT, useT } from "../../i18n/use-t.ts";
import { useStrategyLabel } from "./strategy-label.ts";

/** How many pairs the page lists (the CSV has them all). */
export const PAIRS_SHOWN = 200;

/** One strategy's simulated pairs (admin; hr: the pairs with a member of its organization), with their CSV. */
export function SimulatedPairs({ programId, jobId, strategy, pairs }: { programId: string; jobId: string | undefined; strategy: string; pairs: SimulatedPair[] }) {
  const { f, t } = useT();
  const pt = usePageT(simulationsMessages);
  const label = useStrategyLabel();
  const columns: { key: keyof SimulatedPair & string; label: string }[] = [
    { key: "mentee_id", label: pt("col.mentee") },
    { key: "mentee_org_id", label: pt("col.menteeOrg") },
    { key: "mentee_generation", label: pt("col.menteeGen") },
    { key: "mentor_id", label: pt("col.mentor") },
    { key: "mentor_org_id", label: pt("col.mentorOrg") },
    { key: "mentor_generation", label: pt("col.mentorGen") },
    { key: "age_gap_years", label: pt("col.ageGap") },
    { key: "compatibility", label: pt("col.compatibility") },
  ];
  return (
    <div className="section" data-pairs={strategy}>
      <h3>{pt("inspect.title", { strategy: label(strategy) })}</h3>
      <p className="note">
        <small>{pt("inspect.note")}</small>
      </p>
      <p>
        {pt("inspect.count", { n: f.number(pairs.length) })}
        {pairs.length > PAIRS_SHOWN ? ` ${pt("inspect.more", { shown: PAIRS_SHOWN, n: f.number(pairs.length) })}` : null}{" "}
        <a
          href={`/api/programs/${encodeURIComponent(programId)}/simulations/jobs/${jobId}/pairs.csv?strategy=${encodeURIComponent(strategy)}`}
          download={`simulation-${strategy}-pairs.csv`}
          data-download="pairs-csv"
        >
          {pt("inspect.csv")}
        </a>
      </p>
      <table className="data" data-table="pairs">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {pairs.slice(0, PAIRS_SHOWN).map((p, i) => (
            <tr key={i}>
              <td>{p.mentee_id ?? "—"}</td>
              <td>{p.mentee_org_id}</td>
              <td>{t(`generation.${p.mentee_generation}` as MessageKey)}</td>
              <td>{p.mentor_id ?? "—"}</td>
              <td>{p.mentor_org_id}</td>
              <td>{t(`generation.${p.mentor_generation}` as MessageKey)}</td>
              <td className="num">{f.number(p.age_gap_years)}</td>
              <td className="num">{f.number(p.compatibility, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
