import { inflateSync } from "node:zlib";

/**
 * The text of each page of a PDF written by chromium (Skia): enough to check what a printed
 * page says without a PDF library. Reads the objects, inflates the Flate streams, maps the
 * glyphs of each font through its ToUnicode CMap and walks the pages' content streams
 * (Tj / TJ show text; a move between text runs is a space). Not a general PDF reader: no
 * object streams, no encryption, no other filters.
 */
interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2];
    const at = body.search(/stream\r?\n/);
    if (at < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    const start = at + body.slice(at).indexOf("\n") + 1;
    const end = body.lastIndexOf("endstream");
    let raw = Buffer.from(body.slice(start, end).replace(/\r?\n$/, ""), "latin1");
    if (/\/FlateDecode/.test(dict)) raw = inflateSync(raw);
    objects.set(Number(m[1]), { dict, stream: raw });
  }
  return objects;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** A ToUnicode CMap: glyph code (hex) → text. */
function readCMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => {
    let s = "";
    for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return s;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(m[1].toLowerCase(), utf16(m[2]));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      const width = m[1].length;
      const targets = m[3].startsWith("[") ? [...m[3].matchAll(/<([0-9a-fA-F]+)>/g)].map((t) => t[1]) : null;
      for (let code = lo; code <= hi; code++) {
        const key = code.toString(16).padStart(width, "0");
        if (targets) map.set(key, utf16(targets[code - lo] ?? ""));
        else {
          const base = m[3].slice(1, -1);
          const last = parseInt(base.slice(-4), 16) + (code - lo);
          map.set(key, utf16(base.slice(0, -4) + last.toString(16).padStart(4, "0")));
        }
      }
    }
  }
  return map;
}

function decodeString(hexOrLiteral: string, cmap: Map<string, string> | undefined, bytes: number): string {
  if (hexOrLiteral.startsWith("<")) {
    const hex = hexOrLiteral.slice(1, -1).replace(/\s+/g, "").toLowerCase();
    let s = "";
    for (let i = 0; i < hex.length; i += bytes * 2) {
      const code = hex.slice(i, i + bytes * 2);
      s += cmap?.get(code) ?? "";
    }
    return s;
  }
  return hexOrLiteral.slice(1, -1).replace(/\\([()\\])/g, "$1");
}

export function pdfPages(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const fontMaps = new Map<number, { map: Map<string, string>; bytes: number }>();
  const fontOf = (id: number) => {
    let font = fontMaps.get(id);
    if (!font) {
      const dict = objects.get(id)?.dict ?? "";
      const toUnicode = ref(dict, "ToUnicode");
      const cmap = toUnicode !== null ? readCMap(objects.get(toUnicode)?.stream?.toString("latin1") ?? "") : new Map<string, string>();
      const bytes = /Type0|Identity-H/.test(dict) ? 2 : 1;
      fontMaps.set(id, (font = { map: cmap, bytes }));
    }
    return font;
  };
  // Pages in document order: the Kids of the page tree.
  const pageIds: number[] = [];
  const walk = (id: number) => {
    const dict = objects.get(id)?.dict ?? "";
    if (/\/Type\s*\/Pages\b/.test(dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? "";
      for (const k of kids.matchAll(/(\d+) 0 R/g)) walk(Number(k[1]));
    } else if (/\/Type\s*\/Page\b/.test(dict)) pageIds.push(id);
  };
  const catalog = [...objects.entries()].find(([, o]) => /\/Type\s*\/Catalog/.test(o.dict));
  if (catalog) walk(ref(catalog[1].dict, "Pages")!);
  return pageIds.map((id) => {
    const dict = objects.get(id)!.dict;
    const resourcesRef = ref(dict, "Resources");
    const resources = resourcesRef !== null ? (objects.get(resourcesRef)?.dict ?? "") : dict;
    const fontsRef = ref(resources, "Font");
    const fontDict = fontsRef !== null ? (objects.get(fontsRef)?.dict ?? "") : (/\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? "");
    const fonts = new Map([...fontDict.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)].map((m) => [m[1], Number(m[2])]));
    const contentIds = /\/Contents\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? /\/Contents\s+(\d+ 0 R)/.exec(dict)?.[1] ?? "";
    const content = [...contentIds.matchAll(/(\d+) 0 R/g)].map((m) => objects.get(Number(m[1]))?.stream?.toString("latin1") ?? "").join("\n");
    let font: { map: Map<string, string>; bytes: number } | undefined;
    let out = "";
    // Skia places glyph by glyph (Td advances, spaces are glyphs): a new line (Tm at another y) is a space.
    const tokens = /\/([\w.+-]+)\s+[\d.]+\s+Tf|(<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\))\s*Tj|\[((?:[^\]\\]|\\.)*)\]\s*TJ|(-?[\d.]+)\s+Tm\b|\b(T\*)\b/g;
    let lastY: string | null = null;
    for (const m of content.matchAll(tokens)) {
      if (m[1]) {
        const id = fonts.get(m[1]);
        font = id !== undefined ? fontOf(id) : undefined;
      } else if (m[2]) out += decodeString(m[2], font?.map, font?.bytes ?? 1);
      else if (m[3] !== undefined) {
        for (const part of m[3].matchAll(/(<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\))|(-?[\d.]+)/g)) {
          if (part[1]) out += decodeString(part[1], font?.map, font?.bytes ?? 1);
          else if (Number(part[2]) < -250) out += " ";
        }
      } else if (m[4] !== undefined) {
        if (lastY !== null && m[4] !== lastY && !out.endsWith(" ")) out += " ";
        lastY = m[4];
      } else if (m[5] && !out.endsWith(" ")) out += " ";
    }
    // NFKC: the ligature glyphs ("ﬁ", "ﬀ") read as their letters.
    return out.normalize("NFKC").replace(/\s+/g, " ").trim();
  });
}
