// A progress bar on a terminal, nothing elsewhere (CI logs and pipes stay clean).
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { Locale } from '../core/locale.js';
import { onInterrupt } from './interrupt.js';
import { cliMessages } from './messages.js';

// cli-progress is loaded when a bar is first drawn: loading it took ~20 ms of every command's
// start-up, and most runs draw none (most commands, and any run whose output is not a terminal).
const requireHere = createRequire(import.meta.url);

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(label: string, enabled: boolean, locale?: Locale): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const format = cliMessages(locale)('progress.bar', { label });
  const cliProgress = requireHere('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar({ format, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  // Set while the bar is drawn: a Ctrl-C then stops it first, which shows the cursor again.
  let release: (() => void) | undefined;
  return {
    update(done, total) {
      if (release === undefined) {
        bar.start(total, 0);
        release = onInterrupt(() => bar.stop());
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (release !== undefined) bar.stop();
      release?.();
      release = undefined;
    },
  };
}

/** What a rule tag's bar says: its key, and a personal tag's owner, whose colleague's tag may share the key. */
export function rulePassLabel(tag: { key: string; owner: string | null }, locale?: Locale): string {
  const say = cliMessages(locale);
  return tag.owner === null ? say('rulePass.progress', { tag: tag.key }) : say('rulePass.progressPersonal', { tag: tag.key, owner: tag.owner });
}

/** The rule tags whose passes a tick finished, a personal tag with its owner: two staff members' personal tags may share a key. */
export function resumedPassNames(tags: readonly { key: string; owner: string | null }[], locale?: Locale): string[] {
  const say = cliMessages(locale);
  return tags.map((tag) => (tag.owner === null ? tag.key : say('tick.resumedPersonal', { tag: tag.key, owner: tag.owner })));
}

/**
 * One bar per rule tag whose pass over everyone runs in this command (a model, a template, a
 * pass that `tagbase tick` finishes), labelled with the tag's key.
 */
export function rulePassBars(enabled: boolean, locale?: Locale): { update: (tag: { id: number; key: string; owner: string | null }, done: number, total: number) => void; stop: () => void } {
  // A bar per tag by id: two staff members' personal tags of one key are two passes.
  let current: { tagId: number; bar: Progress } | undefined;
  const stop = () => {
    current?.bar.stop();
    current = undefined;
  };
  return {
    update(tag, done, total) {
      if (current?.tagId !== tag.id) {
        stop();
        current = { tagId: tag.id, bar: progressBar(rulePassLabel(tag, locale), enabled, locale) };
      }
      current.bar.update(done, total);
    },
    stop,
  };
}
