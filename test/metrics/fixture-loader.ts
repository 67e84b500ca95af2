// TEMPORARY test-local loader: reads the hand-made fixture exports into the schema tables
// until analytics/ingest lands; then the tests use ingestExport and this file goes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "../../analytics/db/database.server.ts";

const read = "read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"')";

export async function loadExportLocally(db: Db, folder: string): Promise<void> {
  const file = (name: string) => join(folder, `${name}.csv`);
  const has = (name: string) => existsSync(file(name));
  await db.run(`insert into programs select program_id, name, kind, start_date::date, end_date::date, currency from ${read}`, { path: file("programs") });
  await db.run(
    `insert into organizations select org_id, name, sector from ${read} where org_id not in (select org_id from organizations)`,
    { path: file("organizations") },
  );
  await db.run(
    `insert into participants select program_id, participant_id, org_id, role, birth_year::integer, nullif(gender, ''),
       job_level::integer, city, string_split(nullif(languages, ''), '|'), string_split(nullif(topics, ''), '|'),
       joined_at::date, trained_at::date from ${read}`,
    { path: file("participants") },
  );
  if (has("topics")) await db.run(`insert into topics select program_id, topic_id, name, category from ${read}`, { path: file("topics") });
  await db.run(
    `insert into pairs select program_id, pair_id, mentor_id, mentee_id, matched_at::date, ended_at::date, status, end_reason,
       match_score::double, reverse_since::date from ${read}`,
    { path: file("pairs") },
  );
  const programOf = `(select program_id from read_csv($pairs, header = true, all_varchar = true) p where p.pair_id = x.pair_id)`;
  if (has("meetings"))
    await db.run(
      `insert into meetings select ${programOf}, meeting_id, pair_id, "date"::date, mode, duration_minutes::integer from ${read} x`,
      { path: file("meetings"), pairs: file("pairs") },
    );
  if (has("pair_topics"))
    await db.run(
      `insert into pair_topics select ${programOf}, pair_id, topic_id, targeted_at::date, acquired_at::date, rating::integer from ${read} x`,
      { path: file("pair_topics"), pairs: file("pairs") },
    );
  if (has("evaluations"))
    await db.run(
      `insert into evaluations select ${programOf}, pair_id, respondent, phase, submitted_at::date, satisfaction::integer,
         chemistry::integer, would_continue = 'yes', comment from ${read} x`,
      { path: file("evaluations"), pairs: file("pairs") },
    );
  if (has("costs"))
    await db.run(
      `insert into costs select program_id, nullif(org_id, ''), "date"::date, category, amount::decimal(18, 2), currency from ${read}`,
      { path: file("costs") },
    );
}
