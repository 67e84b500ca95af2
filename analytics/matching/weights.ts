/**
 * The compatibility weights file (`default-weights.json`, or `--weights FILE`), validated
 * with zod. Documented in docs/matching.md.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import defaults from "./default-weights.json" with { type: "json" };

const nonNegative = z.number().finite().nonnegative();
const crossCompanyMode = z.enum(["prefer", "require", "ignore"]);

export const weightsSchema = z
  .object({
    weights: z
      .object({
        topic_fit: nonNegative,
        same_city: nonNegative,
        age_gap: nonNegative,
        cross_company: nonNegative,
        job_level_gap: nonNegative,
        shared_language: nonNegative,
      })
      .strict(),
    age_gap: z
      .object({
        target_years: z.number().finite().min(0).max(60),
        zero_at_distance_years: z.number().finite().positive(),
        reverse_mentoring: z.boolean(),
      })
      .strict(),
    cross_company: z.object({ intra: crossCompanyMode, inter: crossCompanyMode }).strict(),
    job_level_gap: z.object({ zero_at_gap: z.number().finite().positive() }).strict(),
    constraints: z
      .object({
        mentor_capacity: z.number().int().min(0).max(1000),
        mentor_capacities: z.record(z.string().min(1), z.number().int().min(0).max(1000)),
        forbidden_pairs: z.array(z.object({ mentor_id: z.string().min(1), mentee_id: z.string().min(1) }).strict()),
        min_age_gap_years: z.number().finite().min(0).nullable(),
      })
      .strict(),
    reach_bonus: z.object({ cross_generation: nonNegative, cross_company: nonNegative }).strict(),
  })
  .strict()
  .refine((w) => Object.values(w.weights).some((v) => v > 0), {
    message: "at least one weight must be positive",
    path: ["weights"],
  });

export type Weights = z.infer<typeof weightsSchema>;

export class WeightsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeightsError";
  }
}

/** Validates a parsed weights object; throws a WeightsError listing every bad field. */
export function parseWeights(value: unknown, source = "weights"): Weights {
  const result = weightsSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
    throw new WeightsError(`invalid ${source}:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The default weights (a fresh copy). */
export function defaultWeights(): Weights {
  return parseWeights(structuredClone(defaults), "default-weights.json");
}

/** Reads and validates a weights file. */
export function loadWeightsFile(path: string): Weights {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new WeightsError(`cannot read the weights file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WeightsError(`the weights file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseWeights(json, `weights file ${path}`);
}
