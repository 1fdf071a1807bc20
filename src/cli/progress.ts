// A progress bar on a terminal, nothing elsewhere (CI logs and pipes stay clean).
import cliProgress from 'cli-progress';
import type { Locale } from '../core/locale.js';
import { cliMessages } from './messages.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(label: string, enabled: boolean, locale?: Locale): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const format = cliMessages(locale)('progress.bar', { label });
  const bar = new cliProgress.SingleBar({ format, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
