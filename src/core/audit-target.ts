// An audit entry's target as people read it, in the command's table and the console: the API's
// path as its caller meant it (/segments/重要客户/export, not /segments/%E9%87%8D…/export). The
// trail keeps the path as it was requested, and GET /api/v1/audit answers it so.

/**
 * The path of a target decoded as UTF-8, what would change how it splits (`%2F`, `%3F`, `%23`,
 * …) left encoded; what follows it (a deleted tag's definition) as stored. A path that does not
 * decode (`%E9%87` cut short) stays as stored, and so does a target that is no path (a token's
 * name and role from the command line).
 */
export function readableAuditTarget(target: string): string {
  if (!target.startsWith('/')) return target;
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  try {
    return decodeURI(path) + target.slice(path.length);
  } catch {
    return target;
  }
}
