import { Link } from "@remix-run/react";
import { attentionMessages } from "../i18n/pages/attention.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

export interface AttentionTileProps {
  /** The attention list's URL, with the page's filters. */
  href: string;
  needsCheckIn: number;
  tooEarly: number;
  onTrack: number;
  /** hr: the counts are its organization's pairs. */
  ownOrganizationOnly: boolean;
}

/**
 * The Overview's tile of the pairs needing a check-in (the report's at-risk rule, among the pairs
 * the reader may see individually), linking to the attention list. Only for readers who may open
 * the list (hr, admin): the loader passes nothing for the others.
 */
export function AttentionTile({ href, needsCheckIn, tooEarly, onTrack, ownOrganizationOnly }: AttentionTileProps) {
  const { f } = useT();
  const pt = usePageT(attentionMessages);
  const vars = { early: f.number(tooEarly, 0), ok: f.number(onTrack, 0) };
  return (
    <section className="tile" data-tile="needs_check_in" data-value={String(needsCheckIn)}>
      <h3>{pt("tileTitle")}</h3>
      <p className="value">{f.number(needsCheckIn, 0)}</p>
      <p className="detail">{ownOrganizationOnly ? pt("tileDetailHr", vars) : pt("tileDetail", vars)}</p>
      <p className="detail">
        <Link to={href} data-link="attention" prefetch="intent">
          {pt("tileLink")}
        </Link>
      </p>
    </section>
  );
}
