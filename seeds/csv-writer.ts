import { closeSync, openSync, writeSync } from "node:fs";
import iconv from "iconv-lite";
import { frenchDate, isoDate, type Day } from "./dates.ts";

/** How an export spells its CSV files: what a French HR tool writes, or plain UTF-8. */
export interface Dialect {
  readonly delimiter: "," | ";";
  readonly lineEnd: "\n" | "\r\n";
  readonly encoding: "utf8" | "win1252";
  date(d: Day): string;
  /** A decimal with `digits` decimals; `thousands` puts a separator between groups of 3. */
  decimal(n: number, digits: number, thousands?: string): string;
  yesNo(value: boolean): string;
  /** How the export spells gender M (French tools write `H`, for homme). */
  readonly male: string;
}

export const PLAIN_DIALECT: Dialect = {
  delimiter: ",",
  lineEnd: "\n",
  encoding: "utf8",
  date: isoDate,
  decimal: (n, digits) => n.toFixed(digits),
  yesNo: (value) => (value ? "yes" : "no"),
  male: "M",
};

export const FRENCH_DIALECT: Dialect = {
  delimiter: ";",
  lineEnd: "\r\n",
  encoding: "win1252",
  date: frenchDate,
  decimal(n, digits, thousands) {
    const [whole, fraction] = n.toFixed(digits).split(".");
    const grouped = thousands ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : whole;
    return fraction === undefined ? grouped : `${grouped},${fraction}`;
  },
  yesNo: (value) => (value ? "oui" : "non"),
  male: "H",
};

export type Field = string | number | null | undefined;

const FLUSH_BYTES = 1 << 20;

/**
 * Writes one CSV file in chunks of about 1 MB, so a million-row table never exists as one
 * string. Fields holding the delimiter, a quote or a line break are quoted.
 */
export class CsvWriter {
  private readonly fd: number;
  private readonly needsQuotes: RegExp;
  private parts: string[] = [];
  private pending = 0;
  rows = 0;

  constructor(
    path: string,
    header: readonly string[],
    private readonly dialect: Dialect,
  ) {
    this.fd = openSync(path, "w");
    this.needsQuotes = dialect.delimiter === ";" ? /[;"\r\n]/ : /[,"\r\n]/;
    this.writeLine(header);
  }

  row(fields: readonly Field[]): void {
    this.writeLine(fields);
    this.rows += 1;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private writeLine(fields: readonly Field[]): void {
    let line = "";
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) line += this.dialect.delimiter;
      const value = fields[i];
      if (value === null || value === undefined) continue;
      const text = typeof value === "number" ? String(value) : value;
      line += this.needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    }
    line += this.dialect.lineEnd;
    this.parts.push(line);
    this.pending += line.length;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.pending = 0;
    let bytes: Buffer;
    if (this.dialect.encoding === "win1252") {
      bytes = iconv.encode(text, "win1252");
      // iconv-lite writes "?" for a character Windows-1252 lacks: refuse instead of losing it.
      if (iconv.decode(bytes, "win1252") !== text) throw new Error("text not representable in Windows-1252");
    } else {
      bytes = Buffer.from(text, "utf8");
    }
    writeSync(this.fd, bytes);
  }
}
