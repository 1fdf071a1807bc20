// What the bulk tagging dialog says before a value is given by hand on a rule tag: the value
// pins the whole tag when it is single-valued, and only itself when it is multi-valued.
// No relative imports: the tests read it under Node's own module resolution.

export function rulePinNotice(tag: { cardinality: 'single' | 'multi' }): 'bulk.rulePin' | 'bulk.rulePinValue' {
  return tag.cardinality === 'multi' ? 'bulk.rulePinValue' : 'bulk.rulePin';
}
