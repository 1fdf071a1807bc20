// The sources in src/ compiled to plain JavaScript in dist/, file for file, so that `tagbase`
// starts without a TypeScript loader: loading the sources through tsx costs about as much CPU
// again as the command's own start-up, on every run.
//
// Kysely is bundled into dist/vendor/ (one module and a shared chunk, instead of its ~260
// files) and the compiled sources import it from there: resolving and loading those files was a
// third of every command's start-up. Only Kysely: nothing outside src/ imports it, so the process
// holds one copy of it. zod stays in node_modules, since fastify-type-provider-zod checks the
// routes' schemas against its own copy (`instanceof`, the global registry), and bundled it
// starts no faster (its cost is compiling its code, not finding its files).
//
// dist/ is used only while it was compiled from exactly the sources present: a fingerprint of
// every source file's path, size and modification time, and of the bundled packages' versions, is
// written beside it after a complete build. An edited, added or removed source, or another
// Kysely, makes it stale, and the command falls back to tsx until `npm run build` (run by
// `npm install` too) compiles it again.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const PROJECT = join(import.meta.dirname, '..');
const STAMP = '.sources';

/** The bundled modules, as the sources import them, and the file each becomes under dist/vendor/. */
const VENDORED = new Map([
  ['kysely', 'kysely.js'],
  ['kysely/helpers/postgres', 'kysely-helpers-postgres.js'],
  ['kysely/helpers/sqlite', 'kysely-helpers-sqlite.js'],
]);
const VENDORED_PACKAGES = ['kysely'];

/** Source files under src/, relative and sorted: what the build compiles (.ts) or copies (.mjs). */
function sourceFiles(sources) {
  return readdirSync(sources, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(sources, join(entry.parentPath, entry.name)))
    .sort();
}

function fingerprint(sources, files) {
  const hash = createHash('sha256');
  for (const file of files) {
    const { size, mtimeMs } = statSync(join(sources, file));
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  for (const name of VENDORED_PACKAGES) {
    const { version } = JSON.parse(readFileSync(join(sources, '..', 'node_modules', name, 'package.json'), 'utf8'));
    hash.update(`${name}@${version}\n`);
  }
  return hash.digest('hex');
}

/**
 * An esbuild plugin for the file-for-file build: every import stays as written, except the
 * vendored modules', which point at their bundle in dist/vendor/ relative to the importing file.
 */
function importsAsWritten(sources) {
  return {
    name: 'imports-as-written',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const vendored = VENDORED.get(args.path);
        if (vendored === undefined) return { path: args.path, external: true };
        const from = relative(dirname(args.importer), join(sources, 'vendor', vendored)).split(sep).join('/');
        return { path: from.startsWith('.') ? from : `./${from}`, external: true };
      });
    },
  };
}

/** The compiled entry point when dist/ holds exactly the current sources compiled, otherwise undefined. */
export function compiledEntry(project = PROJECT) {
  const sources = join(project, 'src');
  try {
    const recorded = readFileSync(join(project, 'dist', STAMP), 'utf8');
    return recorded === fingerprint(sources, sourceFiles(sources)) ? pathToFileURL(join(project, 'dist', 'cli', 'main.js')).href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compiles src/ into dist/. The build is written beside dist/ and moved into place whole, so a
 * command starting meanwhile finds either the old build, the new one or none (and uses tsx).
 */
export async function compile(project = PROJECT) {
  const { build } = await import('esbuild');
  const sources = join(project, 'src');
  const out = join(project, 'dist');
  const files = sourceFiles(sources);
  const before = fingerprint(sources, files);
  const staging = `${out}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await buildInto(build, project, sources, files, staging);
  } catch (error) {
    // A failed build (a source that does not compile) leaves nothing beside dist/ for the linter
    // and the next build to trip over; dist/ itself is left as it was.
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // A source saved during the build would leave dist/ behind it: such a build is not marked current.
  if (fingerprint(sources, sourceFiles(sources)) === before) writeFileSync(join(staging, STAMP), before);
  const old = `${out}.old.${process.pid}`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(staging, out);
  rmSync(old, { recursive: true, force: true });
  return files.length;
}

/** The vendored libraries and every source compiled into `staging`. */
async function buildInto(build, project, sources, files, staging) {
  await build({
    entryPoints: [...VENDORED].map(([module, file]) => ({ in: module, out: file.replace(/\.js$/, '') })),
    outdir: join(staging, 'vendor'),
    absWorkingDir: project,
    bundle: true,
    splitting: true,
    chunkNames: 'kysely-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  // Bundled one file at a time, with every import left to Node at run time (the plugin), so each
  // module keeps its own file and `import.meta.url` (workers, the console's folder) stays true.
  await build({
    entryPoints: files.filter((file) => file.endsWith('.ts')).map((file) => join(sources, file)),
    outdir: staging,
    outbase: sources,
    bundle: true,
    plugins: [importsAsWritten(sources)],
    // Bundling turns a class that names itself into `var X = class _X`: keep `X` as its name (stack traces, logs).
    keepNames: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  for (const file of files.filter((name) => name.endsWith('.mjs'))) {
    mkdirSync(dirname(join(staging, file)), { recursive: true });
    copyFileSync(join(sources, file), join(staging, file));
  }
}
