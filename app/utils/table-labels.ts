import { useEffect } from "react";

/**
 * Gives every body cell of the page's `table.data` tables (and of the organization comparison,
 * stacked the same way) a `data-label` with its column's
 * heading, for the stacked phone layout of app.css (each cell shows its column's name). Tables
 * drawn by DataTable carry the labels from the server already; this covers the hand-written
 * ones, after hydration and whenever a page adds rows (a MutationObserver). An attribute only:
 * React never reads it back, so it cannot disturb hydration.
 */
export function labelTableCells(root: ParentNode): void {
  for (const table of root.querySelectorAll<HTMLTableElement>('table.data, table[data-table="organization-comparison"]')) {
    const headRow = table.tHead?.rows[table.tHead.rows.length - 1];
    if (!headRow) continue;
    const labels: string[] = [];
    for (const th of headRow.cells) for (let i = 0; i < th.colSpan; i++) labels.push(th.textContent?.trim() ?? "");
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const label = labels[column];
          if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
          column += cell.colSpan;
        }
      }
    }
  }
}

export function useTableLabels(): void {
  useEffect(() => {
    labelTableCells(document);
    let queued = false;
    const observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        labelTableCells(document);
      });
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
}
