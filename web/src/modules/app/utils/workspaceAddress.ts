// Where a page's address leads once the operator moves to another workspace.

/**
 * The choices in a page's address that mean the same in every workspace (a period, a status, a
 * sort of the built-in ones, a model of the catalog), by the page's section. Anything else names
 * the last workspace's things (a tag, a segment, a plan, a filter over its tags, a search of its
 * customers, a page of its list) and is left behind.
 */
const SHARED_CHOICES: Readonly<Record<string, readonly string[]>> = {
  '/customers': ['sort', 'size'],
  '/transitions': ['days', 'from', 'to'],
  '/care': ['tab', 'status'],
  '/tags': ['archived'],
  '/models': ['model'],
};

/**
 * The address to show after a switch of workspace: the same section at its start (the customers
 * list for a portrait of someone in the last workspace), with only the choices that hold in any workspace.
 */
export function addressInWorkspace(pathname: string, search: string): string {
  const section = `/${pathname.split('/')[1] ?? ''}`;
  const kept = new URLSearchParams();
  const shared = SHARED_CHOICES[section] ?? [];
  for (const [name, value] of new URLSearchParams(search)) if (shared.includes(name)) kept.append(name, value);
  const query = kept.toString();
  return query ? `${section}?${query}` : section;
}
