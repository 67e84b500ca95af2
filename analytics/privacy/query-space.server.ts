/**
 * The query space of a program for a protected reader (docs/privacy.md): the pure rules in
 * ./query-space.ts over the program's pairs and people, read from the metrics marts and kept
 * until the program's data changes.
 */
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { cachedByDataVersion } from "../metrics/cache.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { buildQuerySpace, type QuerySpace, type SpacePair, type SpacePerson } from "./query-space.ts";

/** null when the program does not exist. */
export function getQuerySpace(db: Db, programId: string, ownOrg: string | null, k: number): Promise<QuerySpace | null> {
  return cachedByDataVersion(db, programId, ["query-space", ownOrg, k], () =>
    withProgramMarts(db, programId, async () => {
      const pairs = await db.all<SpacePair>(loadSql("privacy/query_space_pairs"), { program_id: programId });
      const people = await db.all<SpacePerson>(loadSql("privacy/query_space_people"), { program_id: programId });
      return buildQuerySpace(pairs, people, k, ownOrg);
    }),
  );
}
