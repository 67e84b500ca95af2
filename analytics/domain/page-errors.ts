/**
 * Why a page refuses a reader (a 403 page), as a code the page translates (app/i18n/messages.ts,
 * `pageError.<code>`), so the refusal reads in the reader's language: the server decides, the
 * interface words it. Thrown as the data of a Remix error response:
 * `throw data(pageError("admin_only"), { status: 403 })`. JSON APIs keep `error: "forbidden"` and
 * an English `message` (scripts read them).
 */
export const PAGE_ERROR_CODES = ["admin_only", "individuals_only", "program_too_small"] as const;
export type PageErrorCode = (typeof PAGE_ERROR_CODES)[number];

export interface PageError {
  pageError: PageErrorCode;
  /** The values the sentence names (`program_too_small`: `k`). */
  vars?: Record<string, number | string>;
}

export function pageError(code: PageErrorCode, vars?: PageError["vars"]): PageError {
  return vars ? { pageError: code, vars } : { pageError: code };
}

export function isPageError(value: unknown): value is PageError {
  return (
    typeof value === "object" &&
    value !== null &&
    (PAGE_ERROR_CODES as readonly unknown[]).includes((value as { pageError?: unknown }).pageError)
  );
}
