/**
 * A gate that every statement of the server's connections passes through, and that a
 * maintenance (the online rebuild of the database file, decision 0013) closes in two steps:
 * first for writes only (reads go on, on the file as it is, while it is copied), then for every
 * statement (while the file is swapped). Statements in flight finish before each step; held
 * ones run when the gate opens again (on the reopened file).
 */
export type StatementKind = "read" | "write";

type Mode = "open" | "writes-held" | "closed";

const SKIP_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const WRITES = /\b(?:insert\s+into|update\s+[\w."]+\s+set|delete\s+from|nextval|setval|copy|attach|detach|checkpoint|create|drop|alter|pragma|set|reset|begin|commit|rollback|vacuum|export|import|load|install)\b/i;

/**
 * Whether a statement only reads: it starts with SELECT, FROM or WITH and names no writing
 * keyword. Anything else counts as a write (the safe side: it waits during a copy).
 */
export function statementKind(sql: string): StatementKind {
  const body = sql.replace(SKIP_COMMENTS, "");
  if (!/^(?:select|from|with)\b/i.test(body)) return "write";
  return WRITES.test(body) ? "write" : "read";
}

export class StatementGate {
  private mode: Mode = "open";
  private opened: Promise<void> = Promise.resolve();
  private readonly inFlight = { read: 0, write: 0 };
  private drained: (() => void) | null = null;

  private blocks(kind: StatementKind): boolean {
    return this.mode === "closed" || (this.mode === "writes-held" && kind === "write");
  }

  /** Runs one statement (`fn`), waiting first while the gate holds its kind. */
  async pass<T>(kind: StatementKind, fn: () => Promise<T>): Promise<T> {
    while (this.blocks(kind)) await this.opened;
    this.inFlight[kind]++;
    try {
      return await fn();
    } finally {
      this.inFlight[kind]--;
      this.drained?.();
    }
  }

  /** Whether a maintenance holds the gate. */
  get isHeld(): boolean {
    return this.mode !== "open";
  }

  private async drain(kinds: StatementKind[]): Promise<void> {
    while (kinds.some((k) => this.inFlight[k] > 0)) await new Promise<void>((done) => (this.drained = done));
    this.drained = null;
  }

  /**
   * A maintenance, one at a time: `copy` runs with writes held (reads go on; the writes in
   * flight finish first), then `swap` with every statement held (those in flight finish
   * first). The gate opens when `swap` settles, or when `copy` throws (then `swap` does not
   * run). Neither may pass the gate itself (it would wait for itself): they use the connections
   * underneath.
   */
  async maintain<C, T>(copy: () => Promise<C>, swap: (copied: C) => Promise<T>): Promise<T> {
    while (this.mode !== "open") await this.opened;
    let open!: () => void;
    this.opened = new Promise<void>((done) => (open = done));
    this.mode = "writes-held";
    try {
      await this.drain(["write"]);
      const copied = await copy();
      this.mode = "closed";
      await this.drain(["read", "write"]);
      return await swap(copied);
    } finally {
      this.mode = "open";
      open();
    }
  }
}
