/** Readable text for a simulation result: the comparison table and the outcome model. */
import type { Spread } from "./evaluate.ts";
import type { ModelReport, SimulationResult } from "./simulation.ts";
import { verdictOfResult, verdictText } from "./verdict.ts";

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? "–" : v.toFixed(digits));

function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const runSpread = (s: Spread, f: (v: number | null) => string) => (s.low === null ? f(s.mean) : `${f(s.mean)} (${f(s.low)}–${f(s.high)})`);

export function comparisonTable(result: SimulationResult): string {
  const header = ["strategy", "runs", "coverage", "compat.", "pred. success [95% CI]", "exp. successes", "cross-gen", "cross-co", "med. gap", "blocking", "fair. gap org/gen"];
  const rows = result.strategies.map((s) => [
    s.strategy,
    String(s.runs),
    pct(s.coverage.mean),
    num(s.compatibility_mean.mean, 3),
    s.predicted_success ? `${pct(s.predicted_success.mean)} [${pct(s.predicted_success.low)}–${pct(s.predicted_success.high)}]` : "–",
    num(s.expected_successes.mean, 0),
    pct(s.cross_generation_rate.mean),
    pct(s.cross_company_rate.mean),
    num(s.median_age_gap_years.mean, 1),
    num(s.blocking_pairs.mean, s.runs > 1 ? 1 : 0),
    `${num(s.fairness.gap_organization, 3)} / ${num(s.fairness.gap_generation, 3)}`,
  ]);
  const out = [table(header, rows, [false, true, true, true, true, true, true, true, true, true, true]), verdictText(verdictOfResult(result))];
  const multi = result.strategies.filter((s) => s.runs > 1);
  for (const s of multi) {
    out.push(`${s.strategy}: run-to-run spread (2.5–97.5 %) of predicted success ${runSpread(s.predicted_success_runs, pct)}, coverage ${runSpread(s.coverage, pct)}`);
  }
  for (const skip of result.skipped) out.push(`${skip.strategy}: skipped — ${skip.reason}`);
  out.push(
    `Fairness gap: best − worst ${result.strategies[0]?.fairness.measure === "success_per_mentee" ? "expected success per mentee" : "compatibility mean"} among organizations / generations of ≥ 5 mentees.`,
  );
  return out.join("\n");
}

/** The price of each quota, per strategy (empty without quotas). */
/** The CLI's line about the sparse mode (the page says it in the reader's language: app/components/simulations/sparse-note.ts). */
export function sparseText(result: SimulationResult): string {
  const s = result.sparse;
  if (!s) return "";
  const notes: Record<string, string> = {
    blocking_pairs_candidates: "blocking pairs are counted among the candidate pairs only (a lower bound)",
    quotas_not_priced: "quotas are not priced in the sparse mode",
  };
  return (
    `Sparse mode: ${result.program.mentors} × ${result.program.mentees} pairs is above the dense limit (${s.dense_limit}); ` +
    `candidates = each mentee's and each mentor's ${s.k} best pairs, ${s.candidates} of ${s.pairs}; ` +
    `gap of optimal to the dense optimum: ${s.gap_to_dense === null ? "not computable here" : `${(s.gap_to_dense * 100).toFixed(2)} %`}` +
    `${s.notes.length > 0 ? `; ${s.notes.map((n) => notes[n] ?? n).join("; ")}` : ""}.\n`
  );
}

export function quotaText(result: SimulationResult): string {
  const q = result.quotas;
  if (!q) return "";
  const lines = [`\nQuotas ${Object.entries(q.quotas).map(([k, v]) => `${k} ≥ ${pct(v)}`).join(", ")}: price = expected successful pairs without the quota − with it [95 % bootstrap interval].`];
  if (q.note) lines.push(`  ${q.note}`);
  for (const s of q.strategies) {
    for (const p of s.prices) {
      lines.push(
        p.status === "optimal"
          ? `  ${s.strategy}, ${p.quota}: ${num(p.expected_successes, 1)} expected successes in ${p.pairs} pairs; price ${num(p.price, 1)} [${num(p.price_interval?.[0], 1)} … ${num(p.price_interval?.[1], 1)}]`
          : `  ${s.strategy}, ${p.quota}: ${p.status === "infeasible" ? "INFEASIBLE" : "not computed"} — ${p.reasons.join("; ")}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** Which validity figure comes first (out of time, when the data allow it), and the other one. */
export function validationText(result: SimulationResult): string {
  const v = result.validation;
  const cv = result.model.status === "ok" ? `AUC ${num(result.model.held_out.auc, 3)}, Brier ${num(result.model.held_out.brier, 3)}` : "–";
  if (!v.out_of_time) return `Validity shown: ${result.model.status === "ok" ? result.model.held_out.method : "none"} (${cv}); no out-of-time figure: ${v.out_of_time_reason}.`;
  const o = v.out_of_time;
  const calibration = o.calibration.map((b) => `${pct(b.mean_predicted)}→${pct(b.observed_rate)}`).join(", ");
  const lines = [
    `Validity shown: OUT OF TIME (${o.method === "editions" ? "editions" : "intake cohorts"}): trained on ${o.trained_on} (${o.train_labelled} labelled pairs), tested on ${o.tested_on} (${o.test_labelled}): ` +
      `AUC ${num(o.auc, 3)}, Brier ${num(o.brier, 3)} (base rate ${num(o.brier_base_rate, 3)}); calibration predicted→observed by decile: ${calibration}.`,
    `Second figure: ${result.model.status === "ok" ? result.model.held_out.method : "cross-validation"}: ${cv}.`,
    `Predicted vs realised success on the later pairs each strategy shares with the recorded matching: ` +
      o.strategies.map((s) => `${s.strategy} ${s.shared > 0 ? `${pct(s.mean_predicted)} vs ${pct(s.realised_rate)} (${s.shared})` : "none shared"}`).join("; ") + ".",
  ];
  return lines.join("\n");
}

export function modelText(model: ModelReport): string {
  if (model.status !== "ok") return `Outcome model (trained on ${model.trained_on.join(", ") || "nothing"}): ${model.message}.`;
  const header = ["feature", "per SD", "95% CI", "per unit", "SD"];
  const rows = model.effects.map((e) =>
    e.sd > 0
      ? [e.feature, num(e.per_sd), `${num(e.per_sd_ci[0])} … ${num(e.per_sd_ci[1])}`, num(e.per_unit, 3), num(e.sd, 3)]
      : [e.feature, "–", "constant: left out", "–", num(e.sd, 3)],
  );
  return [
    `Outcome model: logistic regression on ${model.labelled} labelled pairs of ${model.trained_on.join(", ")} (${model.successes} successes, ${model.failures} failures).`,
    `Held out (${model.held_out.method}): AUC ${num(model.held_out.auc, 3)}, Brier ${num(model.held_out.brier, 3)} (base rate ${num(model.held_out.brier_base_rate, 3)}).`,
    ...(model.held_out_program
      ? [
          `On ${model.held_out_program.program_id} (not trained on, ${model.held_out_program.labelled} labelled pairs): ` +
            `AUC ${num(model.held_out_program.auc, 3)}, Brier ${num(model.held_out_program.brier, 3)} (base rate ${num(model.held_out_program.brier_base_rate, 3)}).`,
        ]
      : []),
    table(header, rows, [false, true, true, true, true]),
  ].join("\n");
}
