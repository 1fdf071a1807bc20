// Types of compiled.js, for the tests and the test set-up that call it.
/** The compiled entry point (a file URL) when `project`/dist holds exactly its current sources compiled. */
export function compiledEntry(project?: string): string | undefined;
/** Compiles `project`/src into `project`/dist; resolves to the number of source files. */
export function compile(project?: string): Promise<number>;
