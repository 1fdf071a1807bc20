// docs/architecture.md against the sources as they are: every file it names is there, every
// folder of src/ has its row in the layers' table, and what the console imports from src/ is
// named where the table says what it imports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const architecture = readFileSync('docs/architecture.md', 'utf8');

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('docs/architecture.md', () => {
  it('names only files and folders that are there', () => {
    const named = [...architecture.matchAll(/`((?:src|test|bin|web|docs|bench)\/[^`\s]*)`/g)].map((match) => (match[1] ?? '').replace(/[.,:;]+$/, ''));
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((path) => !existsSync(path))).toEqual([]);
  });

  it('gives every folder of src/ its row in the layers table', () => {
    const folders = readdirSync('src', { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `src/${entry.name}`);
    expect(folders.filter((folder) => !architecture.includes(`| \`${folder}\` |`))).toEqual([]);
  });

  it('names every module of src/ the console runs', () => {
    const row = architecture.split('\n').find((line) => line.startsWith('| `web/` |')) ?? '';
    const imported = new Set<string>();
    for (const file of filesUnder('web/src').filter((path) => /\.tsx?$/.test(path))) {
      // What it runs: a type imported alone (`import type`) is gone from the build.
      for (const match of readFileSync(file, 'utf8').matchAll(/import\s+(type\s+)?[^;]*?from '((?:\.\.\/)+src\/[^']+)'|import\('((?:\.\.\/)+src\/[^']+)'\)/g)) {
        if (match[1] === undefined) imported.add(`${relative('.', join(file, '..', match[2] ?? match[3] ?? '')).replace(/\.js$/, '')}.ts`);
      }
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((module) => !row.includes(`\`${module}\``))).toEqual([]);
  });
});
