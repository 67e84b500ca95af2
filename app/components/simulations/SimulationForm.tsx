import { Form } from "@remix-run/react";
import { LIMITS, QUOTA_NAMES, SIMULATION_DEFAULTS, SIMULATION_STRATEGIES, WEIGHT_NAMES } from "../../../analytics/matching/simulation-options.ts";
import type { Weights } from "../../../analytics/matching/weights.ts";
import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { usePageT } from "../../i18n/use-t.ts";
import type { SimulationsKey } from "./strategy-label.ts";

/** The form that starts a simulation (admin and hr): strategies, weights, runs, seed, bootstrap. */
export function SimulationForm({ defaults, open, busy }: { defaults: Pick<Weights, "weights" | "reach_bonus">; open: boolean; busy: boolean }) {
  const pt = usePageT(simulationsMessages);
  return (
    <details className="section" open={open}>
      <summary>
        <strong>{pt("form.title")}</strong>
      </summary>
      <Form method="post" className="filters" data-testid="simulation-form">
        <input type="hidden" name="intent" value="start" />
        <fieldset className="plain-fieldset">
          <legend>{pt("form.strategies")}</legend>
          {SIMULATION_STRATEGIES.map((s) => (
            <label key={s} className="inline-choice">
              <input type="checkbox" name="strategy" value={s} defaultChecked={(SIMULATION_DEFAULTS.strategies as readonly string[]).includes(s)} /> {pt(`strategy.${s}` as SimulationsKey)}
            </label>
          ))}
        </fieldset>
        <fieldset className="plain-fieldset weight-fields">
          <legend>{pt("form.weights")}</legend>
          {WEIGHT_NAMES.map((w) => (
            <label key={w}>
              {pt(`weight.${w}` as SimulationsKey)}
              <input type="number" name={`w_${w}`} min={0} max={10} step={0.05} defaultValue={defaults.weights[w]} className="input-short" />
            </label>
          ))}
          <label>
            {pt("form.reach")}
            <input type="number" name="reach_cross_generation" min={0} max={10} step={0.05} defaultValue={defaults.reach_bonus.cross_generation} className="input-short" />
          </label>
        </fieldset>
        <fieldset className="plain-fieldset weight-fields" data-quotas="true">
          <legend>{pt("form.quotas")}</legend>
          {QUOTA_NAMES.map((q) => (
            <label key={q}>
              {pt(`quota.${q}` as SimulationsKey)}
              <input type="number" name={`q_${q}`} min={0} max={100} step={1} placeholder="%" className="input-short" />
            </label>
          ))}
        </fieldset>
        <label>
          {pt("form.runs")}
          <input type="number" name="runs" min={LIMITS.runs.min} max={LIMITS.runs.max} defaultValue={SIMULATION_DEFAULTS.runs} className="input-short" />
        </label>
        <label>
          {pt("form.seed")}
          <input type="number" name="seed" min={0} defaultValue={SIMULATION_DEFAULTS.seed} className="input-medium" />
        </label>
        <label>
          {pt("form.bootstrap")}
          <input type="number" name="bootstrap" min={LIMITS.bootstrap.min} max={LIMITS.bootstrap.max} defaultValue={SIMULATION_DEFAULTS.bootstrap} className="input-short" />
        </label>
        <button type="submit" disabled={busy} data-action="start">
          {pt("form.start")}
        </button>
      </Form>
    </details>
  );
}
