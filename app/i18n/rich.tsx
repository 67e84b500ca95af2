import { Fragment, type ReactNode } from "react";

/**
 * A translated sentence with elements inside: `rich(pt("emptyAdminHow"), { command: <code>…</code> })`
 * puts each `{name}` of the text in place as the given node (text placeholders are filled by
 * `t` beforehand), so that a sentence is translated whole, not in pieces.
 */
export function rich(text: string, nodes: Record<string, ReactNode>): ReactNode {
  return text.split(/(\{\w+\})/).map((part, i) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return <Fragment key={i}>{name && name in nodes ? nodes[name] : part}</Fragment>;
  });
}
