// Test-only instrumentation, loaded with `node --import` into a process that imports (the ingest
// CLI): records where the process is with respect to DuckDB transactions, and can pause it at a
// chosen statement inside one, so that a test kills it there.
//
//   BINOME_RELIABILITY_TRACE=FILE        append "begin", "step N", "commit-start", "commit-done",
//                                        "rollback" lines to FILE (synchronously: they survive SIGKILL)
//   BINOME_RELIABILITY_PAUSE_AT=N        after the N-th statement of the first transaction
//                                        (1 = BEGIN itself), or "commit" (after COMMIT returned),
//                                        write "paused" to the trace and wait forever
//   BINOME_RELIABILITY_STEP_DELAY_MS=N   inside an import's transaction (statements that read the
//                                        ingest_typ_* tables), wait N ms after each statement, so
//                                        that the transaction stays open long enough to race with
//                                        readers (concurrency tests)
import { appendFileSync } from "node:fs";
import { DuckDBConnection } from "@duckdb/node-api";

const trace = process.env.BINOME_RELIABILITY_TRACE;
const pauseAt = process.env.BINOME_RELIABILITY_PAUSE_AT ?? "";
const stepDelay = Number(process.env.BINOME_RELIABILITY_STEP_DELAY_MS ?? 0);
if (trace) {
  const log = (line) => appendFileSync(trace, `${line}\n`);
  const original = DuckDBConnection.prototype.run;
  let inTransaction = false;
  let transactions = 0;
  let step = 0;
  const pause = (where) => {
    log(`paused ${where}`);
    return new Promise(() => setInterval(() => undefined, 60_000));
  };
  DuckDBConnection.prototype.run = async function (sql, ...rest) {
    // The statement itself, after the header comment of its sql/ file.
    const text = String(sql).replace(/^(?:\s+|--[^\n]*(?:\n|$))*/, "").toLowerCase();
    const first = transactions === 0 || (transactions === 1 && inTransaction);
    if (text.startsWith("begin")) {
      log("begin");
      const result = await original.call(this, sql, ...rest);
      inTransaction = true;
      transactions++;
      step = 1;
      if (first && pauseAt === "1") await pause("step 1");
      return result;
    }
    if (text.startsWith("commit")) {
      log("commit-start");
      const result = await original.call(this, sql, ...rest);
      inTransaction = false;
      log("commit-done");
      if (first && pauseAt === "commit") await pause("commit");
      return result;
    }
    if (text.startsWith("rollback")) {
      inTransaction = false;
      log("rollback");
      return original.call(this, sql, ...rest);
    }
    const result = await original.call(this, sql, ...rest);
    if (inTransaction) {
      if (stepDelay > 0 && text.includes("ingest_typ")) await new Promise((r) => setTimeout(r, stepDelay));
      step++;
      log(`step ${step}`);
      if (first && pauseAt === String(step)) await pause(`step ${step}`);
    }
    return result;
  };
}
