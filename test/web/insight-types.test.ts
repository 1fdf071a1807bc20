// A segment's insight and a tag profile's metric summary are declared once, in a module of types
// only (src/core/segment-insight.ts): the engine computes them, the console reads them, and the
// console's bundle takes nothing of the server from it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { MetricSummary, SegmentInsight } from '../../src/core/segment-insight.js';
import type { segmentInsight } from '../../src/engine/segment-insight.js';
import type { metricSummary } from '../../src/engine/tag-profile.js';

const root = join(import.meta.dirname, '../..');

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** What every file of the console imports from the server's sources, by file. */
function serverImports(): { file: string; module: string }[] {
  return sources(join(root, 'web/src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/from '((?:\.\.\/)+src\/[^']+)'/g)].map((match) => ({ file: relative(root, file), module: relative(root, join(file, '..', match[1] ?? '')).replace(/\.js$/, '') })),
  );
}

describe('the insight answer, declared once', () => {
  it('is the type the engine answers with', () => {
    expectTypeOf<Awaited<ReturnType<typeof segmentInsight>>>().toEqualTypeOf<SegmentInsight>();
    expectTypeOf<ReturnType<typeof metricSummary>>().toEqualTypeOf<MetricSummary>();
  });

  it('is not declared again by the console, which reads it from the module of types', () => {
    // Fields only the insight and the profile's summaries have: a second declaration would name them again.
    const declaring = sources(join(root, 'web/src')).filter((file) => /^\s*(population_share|min_members|p25|p75)\??:/m.test(readFileSync(file, 'utf8')));
    expect(declaring.map((file) => relative(root, file))).toEqual([]);
    const readers = serverImports().filter((found) => found.module === 'src/core/segment-insight');
    expect(readers.map((found) => found.file).sort()).toEqual([
      'web/src/modules/segments/components/InsightTagBars.tsx',
      'web/src/modules/segments/components/SegmentInsight.tsx',
      'web/src/modules/segments/hooks/useSegmentInsight.ts',
      'web/src/modules/transitions/utils/types.ts',
    ]);
  });

  it('lives in a module that imports nothing, among the only server sources the console may import: those of src/core', () => {
    expect(readFileSync(join(root, 'src/core/segment-insight.ts'), 'utf8')).not.toMatch(/^\s*(import|export .* from)\b/m);
    expect(serverImports().filter((found) => !found.module.startsWith('src/core/'))).toEqual([]);
  });
});
