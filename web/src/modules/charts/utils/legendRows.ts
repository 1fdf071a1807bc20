// How many lines an ECharts legend of type 'plain' takes at a chart's width, worked out as ECharts
// lays it out, so that a chart can leave that much room above its grid: ECharts moves no grid out of
// a legend's way, and a scrolling legend showed one or two names of eight behind a pager.

/** The legend's names are drawn in this font (ECharts' default), and measured in it. */
export const LEGEND_FONT = { fontSize: 12, fontFamily: 'sans-serif' } as const;

// ECharts' defaults: a 25 × 14 px symbol, its name 5 px after it, 10 px between items and between
// lines, 5 px of padding around the whole legend.
const SYMBOL_WIDTH = 25;
const SYMBOL_HEIGHT = 14;
const NAME_GAP = 5;
const ITEM_GAP = 10;
const PADDING = 5;

/**
 * The lines a legend of these names takes across `width` px: an item goes onto a new line when it
 * would pass the legend's right edge. A pixel is added to each name against rounding, so that a
 * line's worth of names is never counted as fitting where ECharts wraps it.
 */
export function legendRows(names: readonly string[], width: number, nameWidth: (name: string) => number): number {
  const room = width - 2 * PADDING;
  let rows = 1;
  let x = 0;
  for (const name of names) {
    const item = SYMBOL_WIDTH + NAME_GAP + Math.ceil(nameWidth(name)) + 1;
    if (x > 0 && x + item > room) {
      rows += 1;
      x = 0;
    }
    x += item + ITEM_GAP;
  }
  return rows;
}

/** How far from the chart's top a legend of `rows` lines at its top ends. */
export function legendHeight(rows: number): number {
  return PADDING + rows * SYMBOL_HEIGHT + (rows - 1) * ITEM_GAP;
}

let context: CanvasRenderingContext2D | null | undefined;

/** A name's width in the legend's font, measured as ECharts measures it (on a canvas). */
export function legendNameWidth(name: string): number {
  context ??= document.createElement('canvas').getContext('2d');
  if (!context) return name.length * LEGEND_FONT.fontSize;
  context.font = `${LEGEND_FONT.fontSize}px ${LEGEND_FONT.fontFamily}`;
  return context.measureText(name).width;
}
