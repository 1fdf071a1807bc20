// The order a chart lists a model's values in, from the top, the same on the Models page and on
// the overview: the lifecycle's stages as the model defines them (潜在 → 新 → 成长 → 成熟 → 衰退 →
// 流失), a customer's way through them read downwards; a ranking's values (RFM levels, tiers) with
// the highest at the top; any other tag's values in their order.

/** Models whose values are stages a customer passes through, listed in the model's order. */
const STAGED_MODELS: ReadonlySet<string> = new Set(['lifecycle']);

/** The tag's values in the order to draw them from the top (a chart's category axis with `inverse: true`). */
export function valuesFromTop<V>(tag: { model?: string | null | undefined; ordered?: boolean | undefined; values: readonly V[] }): V[] {
  const ranked = (tag.ordered ?? false) && !STAGED_MODELS.has(tag.model ?? '');
  return ranked ? [...tag.values].reverse() : [...tag.values];
}
