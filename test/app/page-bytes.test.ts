import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough, type Transform } from "node:stream";
import { text } from "node:stream/consumers";
import { createElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REACT_VIEW_SIZE, stripReactViewPadding } from "../../app/utils/react-view-padding.server.ts";
import { startServer, type RunningServer } from "../support/server-process.ts";

/**
 * React 18.3.1's streaming renderer pads a 2,048-byte view with NUL bytes when a multi-byte
 * character does not fit at its end (react#31134). No rendered page may hold a NUL byte, and
 * the characters around those boundaries must arrive whole.
 */

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Offsets of the NUL bytes of a body. */
function nulOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let i = bytes.indexOf(0); i !== -1; i = bytes.indexOf(0, i + 1)) offsets.push(i);
  return offsets;
}

/** A tree whose text puts multi-byte characters (2, 3 and 4 bytes) at many offsets. */
function accentedTree() {
  const words = ["é", "—", "ô", "€", "😀", "’", "à"];
  return createElement(
    "main",
    null,
    Array.from({ length: 400 }, (_, i) => createElement("p", { key: i }, `Binôme ${i} ${"x".repeat(i % 7)}${words[i % words.length]}qualité`)),
  );
}

async function streamThrough(body: Transform | PassThrough): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    body.on("data", (c: Buffer) => chunks.push(c));
    body.on("end", () => done(Buffer.concat(chunks)));
    body.on("error", fail);
    const { pipe } = renderToPipeableStream(accentedTree(), { onShellReady: () => pipe(body), onShellError: fail });
  });
}

describe("stripReactViewPadding", () => {
  it("gives the bytes renderToString gives, where a bare PassThrough gets React's NUL padding", async () => {
    const expected = Buffer.from(renderToString(accentedTree()), "utf8");
    const raw = await streamThrough(new PassThrough());
    // The bug is there (else this test would prove nothing): NULs just before view boundaries.
    expect(nulOffsets(raw).length).toBeGreaterThan(0);
    const fixed = await streamThrough(stripReactViewPadding());
    expect(nulOffsets(fixed)).toEqual([]);
    expect(fixed.equals(expected)).toBe(true);
  });

  it("passes other chunks unchanged, NUL bytes inside a view too", async () => {
    const body = stripReactViewPadding();
    const full = new Uint8Array(REACT_VIEW_SIZE).fill(0x61);
    full[100] = 0;
    const short = new Uint8Array([0x61, 0, 0]);
    const out = text(body);
    body.write(full);
    body.write(short);
    body.end();
    const result = await out;
    expect(result.length).toBe(REACT_VIEW_SIZE + 3);
    expect(result.charCodeAt(100)).toBe(0);
  });
});

/** Every page route (a route module with a default export, outside /api), with `$programId` left to fill. */
function pageRoutes(): string[] {
  const dir = resolve("app/routes");
  const paths = new Set<string>();
  for (const file of readdirSync(dir)) {
    // `$.tsx` is the catch-all 404 page: requested below as /no-such-page.
    if (!file.endsWith(".tsx") || file.startsWith("api.") || file === "$.tsx") continue;
    if (!/^export default/m.test(readFileSync(join(dir, file), "utf8"))) continue;
    const segments = file
      .replace(/\.tsx$/, "")
      .split(/(?<!\[)\.(?!\])/)
      .filter((s) => s !== "_index")
      .map((s) => s.replace(/\[\.\]/g, "."));
    paths.add(`/${segments.join("/")}`);
  }
  return [...paths].sort();
}

describe("every rendered page, in English and in French", () => {
  let dir = "";
  let server: RunningServer;
  let cookie = "";
  let programs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-page-bytes-"));
    server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
    programs = readdirSync(join(dir, "demo")).sort();
    expect(programs.length, "the demo programs, from the folder the server wrote").toBeGreaterThan(1);
    const signIn = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
      body: new URLSearchParams({ username: "demo-admin", password: "binome-demo-admin", redirectTo: "/" }),
    });
    expect(signIn.status).toBe(302);
    cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0];
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("holds no NUL byte and decodes as strict UTF-8 with its accents whole", async () => {
    const routes = pageRoutes();
    // The routes of the issue: if the scan found fewer, it would prove less than it says.
    for (const expected of ["/", "/account", "/admin/users", "/login", "/programs/$programId/quality", "/programs/$programId/print"]) {
      expect(routes).toContain(expected);
    }
    const urls = routes.flatMap((route) => (route.includes("$programId") ? programs.map((p) => route.replace("$programId", p)) : [route]));
    urls.push("/programs/no-such-program", "/no-such-page"); // the error pages
    const failures: string[] = [];
    let accented = 0;
    for (const lang of ["en", "fr"] as const) {
      for (const url of urls) {
        const signedIn = url !== "/login";
        const response = await fetch(`${server.url}${url}`, {
          redirect: "manual",
          headers: { Cookie: [signedIn ? cookie : "", `lang=${lang}`].filter(Boolean).join("; "), Accept: "text/html" },
        });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const label = `${lang} ${url} (${response.status}, ${bytes.length} bytes)`;
        const expectedStatus = url.startsWith("/no-such") || url.includes("no-such-program") ? 404 : 200;
        if (response.status !== expectedStatus) failures.push(`${label}: expected ${expectedStatus}`);
        expect(response.headers.get("content-type"), label).toMatch(/^text\/html/);
        const nuls = nulOffsets(bytes);
        if (nuls.length) failures.push(`${label}: NUL bytes at ${nuls.slice(0, 5).join(", ")}`);
        let html = "";
        try {
          html = strictUtf8.decode(bytes);
        } catch {
          failures.push(`${label}: not valid UTF-8`);
          continue;
        }
        if (html.includes("\uFFFD")) failures.push(`${label}: holds U+FFFD`);
        if (!html.includes("Binôme")) failures.push(`${label}: "Binôme" is not whole`);
        // (An unmatched URL runs no loader, so its 404 page cannot know the language yet.)
        if (lang === "fr" && url !== "/no-such-page" && !html.includes('lang="fr"')) failures.push(`${label}: not in French`);
        // Pages long enough to cross React's view size with accented text: where the bug bit.
        if (bytes.length > REACT_VIEW_SIZE && /[^\x00-\x7f]/.test(html)) accented++;
      }
    }
    expect(failures).toEqual([]);
    expect(accented).toBeGreaterThanOrEqual(urls.length);
  });
});
