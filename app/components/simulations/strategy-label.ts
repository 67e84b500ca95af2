import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { usePageT } from "../../i18n/use-t.ts";

export type SimulationsKey = keyof typeof simulationsMessages.en;

/** A strategy's short name in the locale (its label without the parenthesised explanation). */
export function useStrategyLabel(): (strategy: unknown) => string {
  const pt = usePageT(simulationsMessages);
  return (strategy) => pt(`strategy.${String(strategy)}` as SimulationsKey).split(" (")[0];
}
