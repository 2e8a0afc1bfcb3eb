/**
 * The keys of the week grid (WAI-ARIA APG "Grid" pattern, data grid): arrows
 * move one cell, Home and End to the first and last cell of the row,
 * Ctrl+Home and Ctrl+End to the first and last cell of the grid; Enter and
 * Space choose the focused cell. Pure: the element moves focus.
 * https://www.w3.org/WAI/ARIA/apg/patterns/grid/
 */

export interface GridPosition {
  row: number;
  column: number;
}

export type GridKey = "choose" | GridPosition;

/** What `event` asks for in a grid of `rows` × `columns` from `at`, or undefined for keys the grid leaves alone. */
export function gridKey(event: KeyboardEvent, at: GridPosition, rows: number, columns: number): GridKey | undefined {
  if (event.altKey || event.metaKey) return undefined;
  const clamp = (row: number, column: number): GridPosition => ({
    row: Math.min(rows - 1, Math.max(0, row)),
    column: Math.min(columns - 1, Math.max(0, column)),
  });
  switch (event.key) {
    case "Enter":
    case " ":
      return "choose";
    case "ArrowUp":
      return clamp(at.row - 1, at.column);
    case "ArrowDown":
      return clamp(at.row + 1, at.column);
    case "ArrowLeft":
      return clamp(at.row, at.column - 1);
    case "ArrowRight":
      return clamp(at.row, at.column + 1);
    case "Home":
      return event.ctrlKey ? clamp(0, 0) : clamp(at.row, 0);
    case "End":
      return event.ctrlKey ? clamp(rows - 1, columns - 1) : clamp(at.row, columns - 1);
    default:
      return undefined;
  }
}
