// How a command that makes a secret (an access token, a webhook's signing secret) prints it:
// the secret alone on standard output, so that `tagbase token create … | …` or `$(…)` gets it
// and nothing else; what it is and how it is used on standard error, before and after it, as a
// person at a terminal reads them.

export interface SecretShown {
  before: string[];
  secret: string;
  after: string[];
}

export function printSecret(shown: SecretShown): void {
  for (const line of shown.before) console.error(line);
  console.log(shown.secret);
  for (const line of shown.after) console.error(line);
}
