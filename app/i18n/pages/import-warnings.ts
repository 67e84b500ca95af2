import type { Locale } from "../locale.ts";

/**
 * The import's warnings in the reader's language (issue 14 item 6). The server writes them in
 * English, one sentence form each (analytics/ingest: staging, mapped sources, workforce); the page
 * rewrites the known forms, keeping the file names and the quoted values as they are. An unknown
 * form is shown as written.
 */
const FRENCH: [RegExp, (...groups: string[]) => string][] = [
  [/^(.+): unknown column (".*") ignored$/s, (file, column) => `${file}\u202f: colonne inconnue ${column}, ignorée`],
  [/^(.+): column (".*") looks like names or e-mail addresses: never stored$/s, (file, column) => `${file}\u202f: la colonne ${column} semble contenir des noms ou des adresses e-mail\u202f: jamais enregistrée`],
  [/^(.+): column (\d+) has no name: ignored$/s, (file, n) => `${file}\u202f: la colonne ${n} n'a pas de nom\u202f: ignorée`],
  [/^(.+): column (".*") not in the mapping, ignored$/s, (file, column) => `${file}\u202f: la colonne ${column} n'est pas dans la correspondance\u202f: ignorée`],
  [/^(.+): not an export file name, ignored$/s, (file) => `${file}\u202f: pas un nom de fichier d'export, ignoré`],
  [/^(.+): not a CSV file or an Excel workbook, ignored$/s, (file) => `${file}\u202f: ni un fichier CSV ni un classeur Excel, ignoré`],
  [/^(.+): participant_id: not in the workforce: left out of the impact figures( \(.*\))?$/s, (where, value) => `${where}\u202f: participant_id\u202f: absent de l'effectif, laissé hors des chiffres d'impact${value ?? ""}`],
  [/^(.+): … (\d+) more participants not in the workforce$/s, (file, n) => `${file}\u202f: … ${n} autres participants absents de l'effectif`],
];

export function localizeWarning(warning: string, locale: Locale): string {
  if (locale !== "fr") return warning;
  for (const [pattern, write] of FRENCH) {
    const m = pattern.exec(warning);
    if (m) return write(...m.slice(1));
  }
  return warning;
}
