/**
 * Meeting regularity month by month (the pair-quality page): its last month, the month of
 * as_of, is usually only begun — two days into December, few pairs have met yet, and the line
 * would drop to almost 0 %. Such a month is left out of the chart (its row stays in the data
 * table and the CSV, marked), and the caption says so. Pure.
 */

/** The `YYYY-MM` of as_of when that month is not over for the program on as_of, else null. */
export function partialLastMonth(asOf: string, endDate: string): string | null {
  // The program ended on or before as_of: its last month is as complete as it will ever be.
  if (endDate <= asOf) return null;
  const [y, m, d] = asOf.slice(0, 10).split("-").map(Number);
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d === lastDay ? null : asOf.slice(0, 7);
}

/** How many days of that month had passed on as_of (as_of included). */
export function daysIntoMonth(asOf: string): number {
  return Number(asOf.slice(8, 10));
}
