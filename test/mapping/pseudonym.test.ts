/**
 * A sheet that names people but gives them no id: the mapping makes a keyed pseudonymous id (an
 * HMAC of the names with the installation's secret); the names are never stored.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { pseudonym } from "../../analytics/ingest/mapping/transform.ts";
import { snapshot } from "../ingest/helpers.ts";
import { mapping, run, tempDir } from "./helpers.ts";

const PROGRAMME = "Code;Nom;Type;Début;Fin\np1;Pilote 2025;Inter-entreprises;01/01/2025;31/12/2025\n";
const BINOMES = `Binôme;Prénom mentor;Nom mentor;Entreprise mentor;Naissance mentor;Prénom mentoré;Nom mentoré;Entreprise mentoré;Naissance mentoré;Début;Statut
B1;Anne;Dupont;ACME;1970;Luc;Martin;ACME;1995;15/01/2025;En cours
B2;anne ; DUPONT ;ACME;1970;Zoé;Bernard;GLOBEX;1998;20/01/2025;En cours
`;

const person = (who: "mentor" | "mentoré", role: string) => ({
  participant_id: { pseudonym: [`Prénom ${who}`, `Nom ${who}`] },
  program_id: { const: "p1" },
  org_id: `Entreprise ${who}`,
  role: { const: role },
  birth_year: `Naissance ${who}`,
  joined_at: { const: "2025-01-01" },
});

const MAPPING = {
  binome_mapping: 1,
  tables: {
    programs: { source: "programme", columns: { program_id: "Code", name: "Nom", kind: { from: "Type", values: { "Inter-entreprises": "inter" } }, start_date: "Début", end_date: "Fin" } },
    organizations: [
      { source: "binomes", columns: { org_id: "Entreprise mentor", name: "Entreprise mentor" } },
      { source: "binomes", columns: { org_id: "Entreprise mentoré", name: "Entreprise mentoré" } },
    ],
    participants: [
      { source: "binomes", columns: person("mentor", "mentor") },
      { source: "binomes", columns: person("mentoré", "mentee") },
    ],
    pairs: {
      source: "binomes",
      columns: {
        pair_id: "Binôme",
        program_id: { const: "p1" },
        mentor_id: { pseudonym: ["Prénom mentor", "Nom mentor"] },
        mentee_id: { pseudonym: ["Prénom mentoré", "Nom mentoré"] },
        matched_at: "Début",
        status: { from: "Statut", values: { "En cours": "active" } },
      },
    },
  },
};

function files(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "programme.csv"), PROGRAMME);
  writeFileSync(join(dir, "binomes.csv"), BINOMES);
  return dir;
}

afterEach(() => {
  delete process.env.BINOME_SECRET;
});

describe("people known only by name", () => {
  it("get a keyed pseudonymous id; the same person (spelt with other case and spaces) is one participant; no name is stored", async () => {
    process.env.BINOME_SECRET = "test-secret-1";
    await withMemoryDatabase(async (db) => {
      const result = await run(db, [files()], { mapping: mapping(MAPPING) });
      expect(result.lines).toEqual([]);
      expect(result.outcome).toBe("imported");
      const people = await db.all<{ participant_id: string; role: string }>("select participant_id, role from participants order by role, participant_id");
      expect(people).toHaveLength(3);
      const anne = pseudonym("test-secret-1", ["Anne", "Dupont"]);
      expect(anne).toMatch(/^N-[0-9a-f]{16}$/);
      expect(people.filter((p) => p.role === "mentor").map((p) => p.participant_id)).toEqual([anne]);
      const text = JSON.stringify(await snapshot(db), (_k, v) => (typeof v === "bigint" ? String(v) : v));
      for (const name of ["Anne", "Dupont", "Luc", "Martin", "Zoé", "Bernard"]) expect(text.toLowerCase()).not.toContain(name.toLowerCase());
    });
  });

  it("the key is the installation's secret: another secret, other ids", () => {
    expect(pseudonym("a", ["Anne", "Dupont"])).not.toBe(pseudonym("b", ["Anne", "Dupont"]));
    expect(pseudonym("a", ["Anne", "Dupont"])).toBe(pseudonym("a", [" anne", "DUPONT "]));
    expect(pseudonym("a", ["Anne", "Dupont"])).not.toBe(pseudonym("a", ["Anne Dupont", ""]));
  });

  it("without BINOME_SECRET, the secret kept in the database (the erasure ledger's) is the key", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await run(db, [files()], { mapping: mapping(MAPPING) });
      expect(result.outcome).toBe("imported");
      const [{ secret_hex }] = await db.all<{ secret_hex: string }>("select secret_hex from ops_secret");
      const [mentor] = await db.all<{ mentor_id: string }>("select mentor_id from pairs where pair_id = 'B1'");
      expect(mentor.mentor_id).toBe(pseudonym(secret_hex, ["Anne", "Dupont"]));
    });
  });
});
