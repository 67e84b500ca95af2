import type { OrganizationComparison as Comparison, OrganizationFigures } from "../../analytics/dashboards/overview.server.ts";
import { overviewMessages } from "../i18n/pages/overview.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

/**
 * A protected reader's organization beside "other organizations" and the whole program: the
 * headline figures a sponsor or CSR director compares first (issue 14, "my organization"). The
 * figures are the report's organization rows and the costs page's; hidden ones read "hidden".
 */
export function OrganizationComparison({ comparison, k, currency }: { comparison: Comparison; k: number | null; currency: string }) {
  const { f, t } = useT();
  const pt = usePageT(overviewMessages);
  const columns: { key: string; heading: string; figures: OrganizationFigures | null }[] = [
    { key: "own", heading: `${pt("mineOwn")}${comparison.own.label ? ` (${comparison.own.label})` : ""}`, figures: comparison.own },
    ...(comparison.others ? [{ key: "others", heading: pt("mineOthers"), figures: comparison.others }] : []),
    { key: "program", heading: pt("mineProgram"), figures: comparison.program },
  ];
  const hidden = t("value.hidden");
  const rows: { key: keyof Omit<OrganizationFigures, "group" | "label">; label: string; format: (v: number) => string }[] = [
    { key: "participants", label: pt("participants"), format: (v) => f.number(v, 0) },
    { key: "pairs", label: pt("pairs"), format: (v) => f.number(v, 0) },
    { key: "topic_completion_rate", label: pt("topicCompletion"), format: (v) => f.percent(v) },
    { key: "midpoint_satisfaction_mean", label: pt("satisfaction"), format: (v) => f.number(v, 2) },
    { key: "cost_per_matched_mentee", label: pt("costPerMentee"), format: (v) => f.money(v, currency) },
  ];
  return (
    <section className="section organization-comparison" data-section="organization-comparison">
      <h3>{pt("mine")}</h3>
      <p className="caption">{pt("mineCaption", { k: f.number(k, 0) })}</p>
      <div className="table-scroll">
        <table className="data compact" data-table="organization-comparison">
          <thead>
            <tr>
              <th scope="col">{pt("mineFigure")}</th>
              {columns.map((c) => (
                <th key={c.key} scope="col" className="num">
                  {c.heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-figure={row.key}>
                <th scope="row">{row.label}</th>
                {columns.map((c) => {
                  const value = c.figures?.[row.key] ?? null;
                  return (
                    <td key={c.key} className="num" data-column={c.key} data-value={value === null ? "" : String(value)}>
                      {value === null ? hidden : row.format(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {comparison.money_hidden ? <p className="note">{pt("mineMoneyHidden")}</p> : null}
    </section>
  );
}
