// `tagbase doctor`'s store section: a line for each check of the store (it answers, its schema is
// current, its file is whole or its server new enough), and the same checks as JSON.
import type { Locale } from '../core/locale.js';
import type { StoreCheck } from '../store/checks.js';
import { POSTGRES_MIN_VERSION } from '../store/checks.js';
import { cliLocale, formatCliError } from './errors.js';
import { cliMessages } from './messages.js';

/** The exit status of `tagbase doctor` when a check of the store failed (4 is for the library's findings). */
export const DOCTOR_STORE_FAILED_EXIT_CODE = 6;

/** Problems of `PRAGMA quick_check` a line names; the JSON gives every one the check returned. */
const PROBLEMS_SHOWN = 3;

/** Migrations a line names (a store no version has brought up lacks every one); the JSON names them all. */
const MIGRATIONS_SHOWN = 5;

function someNames(names: readonly string[]): readonly string[] {
  return names.length > MIGRATIONS_SHOWN ? [...names.slice(0, MIGRATIONS_SHOWN), '…'] : names;
}

export function storeChecksPassed(checks: readonly StoreCheck[]): boolean {
  return checks.every((check) => check.ok);
}

/** One line per check, in the command's language. */
export function formatStoreChecks(checks: readonly StoreCheck[], locale: Locale = cliLocale()): string[] {
  return checks.map((check) => storeCheckLine(check, locale));
}

function storeCheckLine(check: StoreCheck, locale: Locale): string {
  const say = cliMessages(locale);
  switch (check.check) {
    case 'reachable': {
      const store = `${check.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${check.location}`;
      if (check.ok) return say('doctor.store.reachable', { store });
      // The command's own error line, as any other command would have said it.
      const error = formatCliError(check.error, locale).split('\n')[0] ?? '';
      return say('doctor.store.unreachable', { store, error });
    }
    case 'migrations': {
      if (check.unknown.length > 0) return say('doctor.store.newerMigrations', { count: check.unknown.length, names: someNames(check.unknown) });
      if (check.pending.length > 0) return say('doctor.store.pendingMigrations', { count: check.pending.length, names: someNames(check.pending) });
      return say('doctor.store.migrationsCurrent', { applied: check.applied });
    }
    case 'integrity': {
      if (check.ok) return say('doctor.store.whole');
      const shown = check.problems.slice(0, PROBLEMS_SHOWN).join('; ');
      const more = check.problems.length > PROBLEMS_SHOWN ? say('doctor.store.moreProblems') : '';
      return say('doctor.store.damaged', { problems: `${shown}${more}` });
    }
    case 'server_version':
      return say(check.ok ? 'doctor.store.serverVersion' : 'doctor.store.serverTooOld', { version: check.version, minimum: String(POSTGRES_MIN_VERSION) });
    default: {
      const unhandled: never = check;
      return unhandled;
    }
  }
}

/** The checks as `tagbase doctor --json` gives them under `store`: each check's facts, and its line as `message`. */
export function storeChecksToJson(checks: readonly StoreCheck[], locale: Locale = cliLocale()): { ok: boolean; checks: Record<string, unknown>[] } {
  return {
    ok: storeChecksPassed(checks),
    checks: checks.map((check) => {
      const message = storeCheckLine(check, locale);
      if (check.check !== 'reachable') return { ...check, message };
      const { error, ...facts } = check;
      return error === undefined ? { ...facts, message } : { ...facts, error: formatCliError(error, locale).split('\n')[0] ?? '', message };
    }),
  };
}
