import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SPEC } from "../../analytics/ingest/spec.ts";
import { ROOT } from "./helpers.ts";

describe("docs/export-format.md", () => {
  it("documents every file and column of the format, in the spec's order", () => {
    const doc = readFileSync(join(ROOT, "docs/export-format.md"), "utf8");
    for (const table of SPEC) {
      const start = doc.indexOf(`### \`${table.name}\``);
      expect(start, table.name).toBeGreaterThan(-1);
      const rest = doc.slice(start + 1);
      const end = rest.search(/\n##/);
      const section = end === -1 ? rest : rest.slice(0, end);
      const columns = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
      expect(columns, table.name).toEqual(table.columns.map((c) => c.name));
      expect(section).toContain(table.required ? "— required" : "— optional");
    }
  });
});
