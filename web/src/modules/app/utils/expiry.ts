// When a tag given by hand for some days (有效天数) expires, as the API's `expires_at` takes it.

/** The instant `days` days from `now`, in ISO 8601. */
export function expiresAtAfter(days: number, now: number = Date.now()): string {
  return new Date(now + days * 86_400_000).toISOString();
}
