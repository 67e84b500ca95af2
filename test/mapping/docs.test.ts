import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMapping } from "../../analytics/ingest/mapping/schema.ts";
import { ROOT } from "../ingest/helpers.ts";

describe("docs/export-format.md, mapping files", () => {
  it("its example mapping is a valid mapping", () => {
    const doc = readFileSync(join(ROOT, "docs/export-format.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Bring your own layout"));
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const parsed = parseMapping(JSON.parse(block));
      expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    }
  });
});
