/**
 * Fixed reasons a simulation gives, in English for the CLI and the stored result; the web page
 * says them in the reader's language (app/i18n/pages/simulations.ts). Apart so that the page's
 * bundle does not take the model's code with them.
 *
 * Why there is no out-of-time figure (validation.ts):
 */
export const OUT_OF_TIME_REASONS = {
  noLabelled: "the program has no labelled pair to test on",
  oneMonth: "one edition and one intake month only: no later cohort to test on",
} as const;

/** Why a strategy was skipped, when the reason is fixed (simulation.ts). */
export const SKIP_REASONS = {
  newCohort: "the program has no recorded pairs (a new cohort)",
} as const;
