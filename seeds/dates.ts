/** Dates as whole days since 1970-01-01 (UTC): cheap to add and compare, formatted on output. */
export type Day = number;

const MS_PER_DAY = 86_400_000;

export function day(iso: string): Day {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`invalid ISO date: ${iso}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
}

const isoCache = new Map<Day, string>();

export function isoDate(d: Day): string {
  let text = isoCache.get(d);
  if (text === undefined) {
    text = new Date(d * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(d, text);
  }
  return text;
}

const frenchCache = new Map<Day, string>();

/** dd/mm/yyyy, always day first. */
export function frenchDate(d: Day): string {
  let text = frenchCache.get(d);
  if (text === undefined) {
    const iso = isoDate(d);
    text = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
    frenchCache.set(d, text);
  }
  return text;
}

/** The first day of each calendar month that overlaps [from, to], plus the day after `to`'s month. */
export function monthStarts(from: Day, to: Day): Day[] {
  const start = new Date(from * MS_PER_DAY);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  const result: Day[] = [];
  for (;;) {
    const first = Date.UTC(year, month, 1) / MS_PER_DAY;
    result.push(first);
    if (first > to) return result;
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
}

/** The program's mid-point: start + ⌊(end − start) / 2⌋ days. */
export function midpoint(start: Day, end: Day): Day {
  return start + Math.floor((end - start) / 2);
}
