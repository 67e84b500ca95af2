/**
 * The generation and age rules, defined once. Pure functions: the report's SQL
 * (`sql/marts/macros/*.sql`) uses the same boundaries, and a test checks that both agree for
 * every birth year 1930–2010; the matching code reuses this module directly.
 *
 * Generations by birth year: boomers ≤ 1964 · gen_x 1965–1980 · millennials 1981–1996 ·
 * gen_z ≥ 1997. The "core" is age 30–50 at the program's start (age = year of start_date −
 * birth_year); the low and high octaves are < 30 and > 50.
 */

export const GENERATION_KEYS = ["boomers", "gen_x", "millennials", "gen_z"] as const;
export type GenerationKey = (typeof GENERATION_KEYS)[number];

export interface GenerationDefinition {
  key: GenerationKey;
  label: string;
  /** First birth year of the generation, or null for "no lower bound". */
  fromYear: number | null;
  /** Last birth year of the generation, or null for "no upper bound". */
  toYear: number | null;
}

export const GENERATIONS: readonly GenerationDefinition[] = [
  { key: "boomers", label: "Boomers", fromYear: null, toYear: 1964 },
  { key: "gen_x", label: "Gen X", fromYear: 1965, toYear: 1980 },
  { key: "millennials", label: "Millennials", fromYear: 1981, toYear: 1996 },
  { key: "gen_z", label: "Gen Z", fromYear: 1997, toYear: null },
];

/** The youngest and oldest age (inclusive) of the 30–50 core at the program's start. */
export const CORE_AGE_YEARS = { min: 30, max: 50 } as const;

function assertYear(name: string, year: number): void {
  if (!Number.isInteger(year)) throw new RangeError(`invalid ${name}: ${JSON.stringify(year)}`);
}

/** The generation of someone born in `birthYear`. */
export function generationOf(birthYear: number): GenerationKey {
  assertYear("birth year", birthYear);
  for (const g of GENERATIONS) {
    if (g.toYear === null || birthYear <= g.toYear) return g.key;
  }
  /* c8 ignore next */
  throw new Error("unreachable: the last generation has no upper bound");
}

/** The readable name of a generation key (`gen_x` → `Gen X`). */
export function generationLabel(key: GenerationKey): string {
  const found = GENERATIONS.find((g) => g.key === key);
  if (!found) throw new RangeError(`invalid generation key: ${JSON.stringify(key)}`);
  return found.label;
}

/**
 * Age at the program's start, in whole years: year of the start date minus birth year (the
 * export has birth years only, so this is the age reached during the start year).
 * `startDate` is an ISO date `YYYY-MM-DD` or a Date (its UTC year).
 */
export function ageAtStart(birthYear: number, startDate: string | Date): number {
  assertYear("birth year", birthYear);
  const startYear =
    typeof startDate === "string" ? Number(/^(\d{4})-\d{2}-\d{2}$/.exec(startDate)?.[1] ?? NaN) : startDate.getUTCFullYear();
  if (!Number.isInteger(startYear)) throw new RangeError(`invalid start date: ${JSON.stringify(startDate)}`);
  return startYear - birthYear;
}

/** Whether an age at start lies outside the 30–50 core (the low and high octaves). */
export function isOutsideCore(ageYears: number): boolean {
  return ageYears < CORE_AGE_YEARS.min || ageYears > CORE_AGE_YEARS.max;
}

/** Age gap of a pair in years: |mentor birth year − mentee birth year|. */
export function ageGapYears(mentorBirthYear: number, menteeBirthYear: number): number {
  assertYear("mentor birth year", mentorBirthYear);
  assertYear("mentee birth year", menteeBirthYear);
  return Math.abs(mentorBirthYear - menteeBirthYear);
}

/** Whether mentor and mentee belong to different generations. */
export function isCrossGeneration(mentorBirthYear: number, menteeBirthYear: number): boolean {
  return generationOf(mentorBirthYear) !== generationOf(menteeBirthYear);
}
