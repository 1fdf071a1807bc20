// Before any test: compiles the sources for the `tagbase` binary when dist/ is not current, so
// every test that runs the binary runs the code under test, compiled (bin/compiled.js).
import { compile, compiledEntry } from '../../bin/compiled.js';

export default async function compileCommand(): Promise<void> {
  if (compiledEntry() === undefined) await compile();
}
