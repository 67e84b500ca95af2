import { hash, parseOptions, verify, type Algorithm, type Options } from "@node-rs/argon2";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** OWASP's Argon2id minimum: 19 MiB, 2 passes, 1 lane (~50 ms on the reference machine). */
export const ARGON2_OPTIONS: Options = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum that isolatedModules cannot import)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Verified when the username is unknown or disabled, so that a sign-in costs one Argon2id
 * verification whatever the account: same work, same timing, same message.
 * Hash of a random string that was thrown away; no password matches it.
 */
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$chGJ+WFrrQkfKhgKoS6IRg$LeLikV27y8QhJince2alQMMbvAQ+lL+whXhGWIAGVGo";

/** Why a new password is refused, as a code the interface translates (app/i18n/pages/auth.ts). */
export type PasswordIssue = { code: "passwordTooShort"; vars: { min: number } } | { code: "passwordTooLong"; vars: { max: number } } | { code: "passwordBlank"; vars: Record<string, never> };

export function passwordIssue(password: string): PasswordIssue | null {
  // Code points, not UTF-16 units: an emoji counts as one character for the person typing.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { code: "passwordTooShort", vars: { min: PASSWORD_MIN_LENGTH } };
  if (length > PASSWORD_MAX_LENGTH) return { code: "passwordTooLong", vars: { max: PASSWORD_MAX_LENGTH } };
  if (password.trim().length === 0) return { code: "passwordBlank", vars: {} };
  return null;
}

/** Why a new password is refused, in one English sentence (the CLI), or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const issue = passwordIssue(password);
  if (!issue) return null;
  if (issue.code === "passwordTooShort") return `The password must have at least ${issue.vars.min} characters.`;
  if (issue.code === "passwordTooLong") return `The password must have at most ${issue.vars.max} characters.`;
  return "The password cannot be only spaces.";
}

export class PasswordRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordRuleError";
  }
}

/** Argon2id hash (PHC string) of a password that passes `passwordProblem`, else throws. */
export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new PasswordRuleError(problem);
  return hash(password.normalize("NFC"), ARGON2_OPTIONS);
}

/**
 * Checks a password against a stored hash, or against the dummy hash when there is none.
 * Never throws: a malformed hash or an absurdly long input is simply "no".
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  // Bound the work an attacker can ask for; longer passwords cannot have been set anyway.
  const candidate = password.length > PASSWORD_MAX_LENGTH * 4 ? "" : password.normalize("NFC");
  try {
    const ok = await verify(storedHash ?? DUMMY_HASH, candidate);
    return storedHash !== null && ok;
  } catch {
    return false;
  }
}

/** A random password for resets and first accounts: 120 bits, lowercase letters and digits. */
export function generatePassword(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  const text = encodeBase32LowerCaseNoPadding(bytes); // 24 characters
  return `${text.slice(0, 6)}-${text.slice(6, 12)}-${text.slice(12, 18)}-${text.slice(18)}`;
}

/** Whether a stored hash is weaker than today's parameters (rehashed at the next sign-in). */
export function needsRehash(storedHash: string): boolean {
  try {
    const current = parseOptions(storedHash);
    return (
      current.algorithm !== ARGON2_OPTIONS.algorithm ||
      current.memoryCost < ARGON2_OPTIONS.memoryCost! ||
      current.timeCost < ARGON2_OPTIONS.timeCost! ||
      current.parallelism !== ARGON2_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}
