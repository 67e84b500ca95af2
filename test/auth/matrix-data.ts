import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";

/**
 * What the authorization matrix must never find in a body, read from the demo exports the
 * server wrote next to its database (`<db dir>/demo/<program>/*.csv`) — never hard-coded.
 */

export interface Organization {
  orgId: string;
  name: string;
}

export interface DemoProgramData {
  programId: string;
  name: string;
  organizations: Organization[];
  /** participant id → organization id */
  participants: Map<string, string>;
}

/** The exports are UTF-8 or Windows-1252, with `,` or `;`: decode and split like the ingestion does. */
function readCsv(path: string): Record<string, string>[] {
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
  }
  text = text.replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const separator = lines[0].includes(";") ? ";" : ",";
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === separator) {
        cells.push(cell);
        cell = "";
      } else cell += c;
    }
    cells.push(cell);
    return cells;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

export function readDemoProgram(demoDir: string, programId: string): DemoProgramData {
  const dir = join(demoDir, programId);
  const [program] = readCsv(join(dir, "programs.csv"));
  const organizations = readCsv(join(dir, "organizations.csv")).map((r) => ({ orgId: r.org_id, name: r.name }));
  const participants = new Map(readCsv(join(dir, "participants.csv")).map((r) => [r.participant_id, r.org_id]));
  return { programId, name: program.name, organizations, participants };
}

/** The spellings under which a name can reach a page: raw, HTML-escaped, escaped in an inline script. */
export function spellings(text: string): string[] {
  const html = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  const script = text.replace(/&/g, "\\u0026").replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  const apos = text.replace(/&/g, "&amp;").replace(/'/g, "&#39;");
  return [...new Set([text, html, script, apos])];
}

/** Participant-id-like tokens: `P` and 3–4 digits, not inside a longer word or hash. */
const ID_TOKEN = /(?<![A-Za-z0-9_-])P\d{3,4}(?![A-Za-z0-9_-])/g;

/** Removes the per-request nonces (random base64, which could spell an id by chance). */
function withoutNonces(body: string): string {
  return body.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/'nonce-[^']*'/g, "'nonce-'");
}

export interface Forbidden {
  /** Exact strings (org ids, names in their spellings, program names). */
  strings: string[];
  /** Participant ids: matched as whole tokens. */
  participantIds: Set<string>;
}

/** What in `body` is forbidden: the list of the leaked strings and ids (empty when clean). */
export function leaksIn(body: string, forbidden: Forbidden): string[] {
  const found = new Set<string>();
  const clean = withoutNonces(body);
  for (const s of forbidden.strings) if (s && clean.includes(s)) found.add(s);
  for (const m of clean.matchAll(ID_TOKEN)) if (forbidden.participantIds.has(m[0])) found.add(m[0]);
  if (clean.includes("$argon2id$")) found.add("$argon2id$");
  return [...found];
}

/** A body as text to scan: Arrow IPC streams are decoded to their values (ids sit there unseparated). */
export function bodyText(bytes: Uint8Array, contentType: string | null): string {
  if ((contentType ?? "").includes("apache.arrow")) {
    const table = tableFromIPC(bytes);
    const rows = table.toArray().map((row) => row.toJSON());
    return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));
  }
  return new TextDecoder().decode(bytes);
}
