/** Free text of the demo exports, in French as the platform's users write it. */

/** Early ends caused by the pair itself (low quality). */
export const QUALITY_END_REASONS = [
  "Pas d’affinité dans le binôme",
  "Manque de disponibilité du mentor",
  "Manque de disponibilité du mentoré",
  "Objectifs mal alignés",
  "Rencontres trop difficiles à organiser",
];

/** Early ends from outside the pair (whatever its quality). */
export const EXTERNAL_END_REASONS = [
  "Départ de l’entreprise",
  "Mobilité interne",
  "Congé parental",
  "Surcharge de travail ; pause demandée",
];

export const POSITIVE_COMMENTS = [
  "Échanges très riches, je recommande.",
  "Une vraie prise de recul sur mon poste.",
  "Nous nous voyons chaque mois, c’est devenu un rendez-vous attendu.",
  "Très à l’écoute, des conseils concrets.",
  "Le regard d’une autre génération m’a beaucoup apporté.",
];

export const MIXED_COMMENTS = [
  "Bonne volonté des deux côtés, mais peu de temps.",
  "Il faudrait des objectifs plus précis.",
  "Les rencontres sont difficiles à caler.",
];

export const NEGATIVE_COMMENTS = [
  "Le courant ne passe pas vraiment.",
  "Rendez-vous souvent annulés.",
  "Nos attentes étaient trop différentes.",
];
