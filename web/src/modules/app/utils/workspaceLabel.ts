// How a workspace is named in a list (the switcher, a token's workspaces): its name and key, the
// built-in one by its name in the console's language. No relative imports: the tests read it
// under Node's own module resolution.

/** `t` is the session's translator; only the one message is asked of it. */
export function workspaceLabel(t: (key: 'session.defaultWorkspace') => string, workspace: { key: string; name: string }): string {
  const name = workspace.key === 'default' && workspace.name === 'Default' ? t('session.defaultWorkspace') : workspace.name;
  return `${name} (${workspace.key})`;
}
