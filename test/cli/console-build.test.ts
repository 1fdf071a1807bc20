// When `tagbase serve` rebuilds the web console: only when it is missing, older than its sources or
// not a production build.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleOutdated } from '../../src/cli/serve.js';

function webTree(): { dist: string; source: string } {
  const web = mkdtempSync(join(tmpdir(), 'tagbase-web-src-'));
  mkdirSync(join(web, 'src', 'modules'), { recursive: true });
  const source = join(web, 'src', 'modules', 'page.tsx');
  writeFileSync(source, 'export {};\n');
  writeFileSync(join(web, 'index.html'), '<!doctype html>\n');
  return { dist: join(web, 'dist'), source };
}

function setTime(file: string, secondsAgo: number): void {
  const at = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, at, at);
}

describe('consoleOutdated', () => {
  it('says a missing console must be built', () => {
    expect(consoleOutdated(webTree().dist)).toBe(true);
  });

  it('keeps a console built after its sources', () => {
    const { dist, source } = webTree();
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html>\n');
    writeFileSync(join(dist, '.build-mode'), 'production\n');
    setTime(source, 60);
    setTime(join(dist, '..', 'index.html'), 60);
    expect(consoleOutdated(dist)).toBe(false);
  });

  it('rebuilds a console built for development or tests, or by a version that did not say', () => {
    const { dist, source } = webTree();
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html>\n');
    setTime(source, 60);
    setTime(join(dist, '..', 'index.html'), 60);
    expect(consoleOutdated(dist)).toBe(true);
    writeFileSync(join(dist, '.build-mode'), 'test\n');
    expect(consoleOutdated(dist)).toBe(true);
  });

  it('rebuilds when a source file in a nested folder is newer than the build', () => {
    const { dist, source } = webTree();
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html>\n');
    writeFileSync(join(dist, '.build-mode'), 'production\n');
    setTime(join(dist, 'index.html'), 60);
    setTime(join(dist, '..', 'index.html'), 120);
    setTime(source, 10);
    expect(consoleOutdated(dist)).toBe(true);
  });
});
