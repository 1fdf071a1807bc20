// Where the circles of a two- or three-set diagram sit, and where each region's count goes.
// The layout is fixed (areas are not to scale); the numbers carry the sizes.
export interface Circle {
  cx: number;
  cy: number;
  r: number;
  color: string;
}

const COLORS = ['#1677ff', '#fa8c16', '#52c41a'];

export function circlesFor(count: 2 | 3): Circle[] {
  const centres = count === 2 ? [[150, 140], [250, 140]] : [[165, 115], [245, 115], [205, 185]];
  return centres.map(([cx = 0, cy = 0], index) => ({ cx, cy, r: count === 2 ? 100 : 85, color: COLORS[index] ?? '#999' }));
}

/** Label positions by region mask (bit i set: inside segment i). */
export function labelPositions(count: 2 | 3): Map<number, [number, number]> {
  return count === 2
    ? new Map([[0b01, [100, 145]], [0b10, [300, 145]], [0b11, [200, 145]]])
    : new Map([[0b001, [125, 95]], [0b010, [285, 95]], [0b100, [205, 240]], [0b011, [205, 85]], [0b101, [160, 170]], [0b110, [250, 170]], [0b111, [205, 140]]]);
}

export function maskOf(segments: string[], order: string[]): number {
  return order.reduce((mask, key, index) => (segments.includes(key) ? mask | (1 << index) : mask), 0);
}
