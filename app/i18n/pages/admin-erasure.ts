import { definePageMessages } from "../translate.ts";

/** Strings of the admin erasure page (GDPR: access and erasure for one participant). */
export const adminErasureMessages = definePageMessages({
  en: {
    title: "A participant's data (GDPR)",
    intro: "Export everything held about one participant of a program (right of access), or erase them everywhere (right to erasure): their pairs with the pairs' meetings, evaluations and topics, undo snapshots and stored simulation runs that name them. The erasure ledger keeps only a keyed hash, so a restore from an older backup erases them again.",
    program: "Program",
    participant: "Participant id",
    export: "Export as JSON",
    erase: "Erase…",
    "confirm.title": "Erase {participant} of {program}?",
    "confirm.text": "This cannot be undone. Type the participant id again to confirm.",
    "confirm.field": "Participant id, again",
    "confirm.submit": "Erase for good",
    cancel: "Cancel",
    done: "Erased: {rows} rows removed. Ledger entry {hash}…",
    "error.confirm": "The two participant ids differ: nothing was erased.",
    pending: "Erased rows are gone from every page and export, but their bytes stay in the database file until it is rebuilt: stop the server and run `npm run erase -- compact` (pending since {since}).",
    ledger: "Erasures recorded: {count}.",
  },
  fr: {
    title: "Données d'un participant (RGPD)",
    intro: "Exporter tout ce qui est conservé sur un participant d'un programme (droit d'accès), ou l'effacer partout (droit à l'effacement) : ses binômes avec leurs rencontres, évaluations et thèmes, les instantanés d'annulation et les simulations enregistrées qui le nomment. Le registre des effacements ne garde qu'une empreinte à clé : une restauration d'une sauvegarde plus ancienne l'efface à nouveau.",
    program: "Programme",
    participant: "Identifiant du participant",
    export: "Exporter en JSON",
    erase: "Effacer…",
    "confirm.title": "Effacer {participant} de {program} ?",
    "confirm.text": "C'est définitif. Saisissez à nouveau l'identifiant du participant pour confirmer.",
    "confirm.field": "Identifiant du participant, à nouveau",
    "confirm.submit": "Effacer définitivement",
    cancel: "Annuler",
    done: "Effacé : {rows} lignes supprimées. Entrée du registre {hash}…",
    "error.confirm": "Les deux identifiants diffèrent : rien n'a été effacé.",
    pending: "Les lignes effacées n'apparaissent plus nulle part, mais leurs octets restent dans le fichier de la base jusqu'à sa reconstruction : arrêtez le serveur et lancez `npm run erase -- compact` (en attente depuis {since}).",
    ledger: "Effacements enregistrés : {count}.",
  },
});
