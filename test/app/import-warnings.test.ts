import { describe, expect, it } from "vitest";
import { localizeWarning } from "../../app/i18n/pages/import-warnings.ts";

describe("import warnings in French (issue 14 item 6)", () => {
  it("rewrites each known warning form, keeping file names and quoted values, a narrow no-break space before each colon", () => {
    const cases: [string, string][] = [
      ['meetings.csv: unknown column "abc…" ignored', 'meetings.csv\u202f: colonne inconnue "abc…", ignorée'],
      ['octave.xlsx [Binômes]: column "E-mail mentor" looks like names or e-mail addresses: never stored', 'octave.xlsx [Binômes]\u202f: la colonne "E-mail mentor" semble contenir des noms ou des adresses e-mail\u202f: jamais enregistrée'],
      ["pairs.csv: column 4 has no name: ignored", "pairs.csv\u202f: la colonne 4 n'a pas de nom\u202f: ignorée"],
      ['suivi.csv: column "Remarque" not in the mapping, ignored', 'suivi.csv\u202f: la colonne "Remarque" n\'est pas dans la correspondance\u202f: ignorée'],
      ["notes.txt: not an export file name, ignored", "notes.txt\u202f: pas un nom de fichier d'export, ignoré"],
      ["photo.png: not a CSV file or an Excel workbook, ignored", "photo.png\u202f: ni un fichier CSV ni un classeur Excel, ignoré"],
      ['participants.csv:4: participant_id: not in the workforce: left out of the impact figures ("P3")', 'participants.csv:4\u202f: participant_id\u202f: absent de l\'effectif, laissé hors des chiffres d\'impact ("P3")'],
      ["participants.csv: … 12 more participants not in the workforce", "participants.csv\u202f: … 12 autres participants absents de l'effectif"],
    ];
    for (const [en, fr] of cases) {
      expect(localizeWarning(en, "fr")).toBe(fr);
      expect(localizeWarning(en, "en")).toBe(en);
    }
    expect(localizeWarning("something new", "fr")).toBe("something new");
  });
});
