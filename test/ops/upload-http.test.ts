/**
 * Hostile uploads against the real server (`server/start.ts`, the production build): long and
 * odd file names, zip entries too long or colliding. Each gets a 4xx naming the problem, the
 * server stays up, and no batch folder is left in the upload directory.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ENTRY_PATH_CHARS, MAX_NAME_CHARS } from "../../analytics/ops/upload.server.ts";
import { exportCopy, removeTempDirs, tempDir } from "../reliability/support/common.ts";
import { killStartedServers, prepareDatabase, signIn, startBinome, type Server } from "../reliability/support/server.ts";

let server: Server;
let cookie: string;
let uploadDir: string;

beforeAll(async () => {
  const dir = tempDir();
  const dbPath = join(dir, "binome.duckdb");
  await prepareDatabase(dbPath, []);
  uploadDir = join(dir, "uploads");
  server = await startBinome({ BINOME_DB: dbPath, BINOME_UPLOAD_DIR: uploadDir });
  cookie = await signIn(server);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  killStartedServers();
  removeTempDirs();
});

/** A multipart body written by hand, so that the file name's bytes are exactly these. */
function multipart(files: { name: string; content: Uint8Array | string }[]): { body: Uint8Array<ArrayBuffer>; type: string } {
  const boundary = "----binome-test-boundary-7f3a";
  const chunks: Buffer[] = [];
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`, "utf8"));
    chunks.push(Buffer.from(file.content));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), type: `multipart/form-data; boundary=${boundary}` };
}

async function upload(files: { name: string; content: Uint8Array | string }[]) {
  const { body, type } = multipart(files);
  const response = await fetch(`${server.url}/admin/imports`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: server.origin, "Content-Type": type },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text() };
}

/** The refusal's sentence, as the page shows it. */
const refusal = (html: string) => /data-testid="upload-refused"><p>([^<]*)<\/p>/.exec(html)?.[1] ?? `(no refusal in the page: ${html.slice(0, 300)})`;

async function expectAlive() {
  expect(server.process.exitCode, server.output().slice(-2000)).toBeNull();
  const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  expect(health.status).toBe(200);
}

/** Everything in the upload folder: batches waiting for their confirm, and anything else. */
const batches = () => readdirSync(uploadDir);
const csv = "program_id\nA\n";
const long = "a".repeat(296) + ".csv";

describe("hostile uploads: 4xx naming the problem, server up, nothing left behind", () => {
  const cases: { what: string; files: { name: string; content: Uint8Array | string }[]; message: RegExp }[] = [
    { what: "a 300-character file name", files: [{ name: long, content: csv }], message: new RegExp(`300 characters.*limit is ${MAX_NAME_CHARS}`) },
    { what: "a 300-character zip name", files: [{ name: "z".repeat(296) + ".zip", content: zipSync({ "programs.csv": new TextEncoder().encode(csv) }) }], message: new RegExp(`limit is ${MAX_NAME_CHARS}`) },
    { what: "a file name with a NUL byte", files: [{ name: "programs\u0000.csv", content: csv }], message: /control character/ },
    { what: "a file name with a control character", files: [{ name: "programs\u0007.csv", content: csv }], message: /control character/ },
    { what: "a file named ..", files: [{ name: "..", content: csv }], message: /unusable name/ },
    {
      what: "a zip entry of 300 characters",
      files: [{ name: "export.zip", content: zipSync({ [long]: new TextEncoder().encode(csv) }) }],
      message: new RegExp(`export.zip.*300 characters.*limit is ${MAX_NAME_CHARS}`),
    },
    {
      what: "a zip entry path beyond the path limit",
      files: [{ name: "export.zip", content: zipSync({ [`${"d".repeat(100)}/`.repeat(6) + "programs.csv"]: new TextEncoder().encode(csv) }) }],
      message: new RegExp(`limit is ${MAX_ENTRY_PATH_CHARS} characters`),
    },
    {
      what: "a zip holding a file a and a folder a/",
      files: [{ name: "export.zip", content: zipSync({ a: new TextEncoder().encode("x"), "a/b.csv": new TextEncoder().encode(csv) }, { level: 0 }) }],
      message: /export.zip.*“a” is both a file and a folder/,
    },
    {
      what: "a zip holding a folder a/ then a file a",
      files: [{ name: "export.zip", content: zipSync({ "a/b.csv": new TextEncoder().encode(csv), a: new TextEncoder().encode("x") }, { level: 0 }) }],
      message: /export.zip.*“a” is both a file and a folder/,
    },
    {
      what: "a loose file named like a zip's folder",
      files: [
        { name: "export.zip", content: zipSync({ "programs.csv": new TextEncoder().encode(csv) }) },
        { name: "export", content: csv },
      ],
      message: /The file export and the zip export.zip would both be stored as “export”/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.what}`, async () => {
      const { status, text } = await upload(c.files);
      expect(status, text.slice(0, 500)).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(refusal(text)).toMatch(c.message);
      await expectAlive();
      expect(batches()).toEqual([]);
    });
  }

  it("keeps only the base name of a file name holding a path, and writes nothing outside the batch", async () => {
    // Remix's multipart parser keeps what follows the last / or \ (old browsers sent whole paths).
    for (const name of ["../../programs.csv", "C:\\exports\\programs.csv"]) {
      const { status, text } = await upload([{ name, content: csv }]);
      expect(status, text.slice(0, 500)).toBe(422); // a programs file alone is not a valid export
      expect(text).toContain("programs.csv");
      expect(text).not.toContain("exports");
      expect(batches()).toEqual([]);
      expect(readdirSync(join(uploadDir, ".."))).not.toContain("programs.csv");
    }
    await expectAlive();
  });

  it("still takes a valid export afterwards, its files readable by the server's user only", async () => {
    const dir = exportCopy("basic");
    const { status, text } = await upload(readdirSync(dir).map((name) => ({ name, content: readFileSync(join(dir, name)) })));
    expect(status, text.slice(0, 500)).toBe(200);
    const [batch] = batches();
    expect(batch).toMatch(/^[0-9a-f]{32}$/);
    expect(statSync(join(uploadDir, batch)).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(join(uploadDir, batch, "files"))) expect(statSync(join(uploadDir, batch, "files", name)).mode & 0o777, name).toBe(0o600);
    // Cancelled: gone at once.
    const cancel = await fetch(`${server.url}/admin/imports`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ batchId: batch, intent: "cancel" }),
    });
    expect(cancel.status).toBe(302);
    expect(batches()).toEqual([]);
  });

  it("an invalid export is refused at the dry run and its files deleted at once", async () => {
    const dir = exportCopy("basic", { "pairs.csv": "pair_id,nonsense\n1,2\n" });
    const { status } = await upload(readdirSync(dir).map((name) => ({ name, content: readFileSync(join(dir, name)) })));
    expect(status).toBe(422);
    expect(batches()).toEqual([]);
    await expectAlive();
  });
});
