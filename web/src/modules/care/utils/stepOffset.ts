// A step's `after` (`30m`, `9h`, `3d`, `-3d`, `0`) as the form edits it, an amount, a unit and a
// side of the trigger, and as a list of steps reads in words (「30 分钟后、3 天后」).
import type { MessageKey } from '../../app/utils/messages';

export type StepUnit = 'm' | 'h' | 'd';
export type StepSide = 'after' | 'before';

export interface StepOffset {
  amount: number;
  unit: StepUnit;
  side: StepSide;
}

const MINUTES: Record<StepUnit, number> = { m: 1, h: 60, d: 1440 };

/** The server refuses a step further than this from its trigger, either way. */
export const MAX_OFFSET_MINUTES = 366 * MINUTES.d;

export const STEP_UNITS: readonly StepUnit[] = ['m', 'h', 'd'];

const PATTERN = /^(-)?(\d{1,6})(m|h|d)$/;

/** An offset the server answered; one it would not have (it never does) reads as at the trigger. */
export function readOffset(after: string): StepOffset {
  const match = PATTERN.exec(after);
  if (!match) return { amount: 0, unit: 'd', side: 'after' };
  return { amount: Number(match[2]), unit: match[3] as StepUnit, side: match[1] ? 'before' : 'after' };
}

export function writeOffset(offset: StepOffset): string {
  if (offset.amount === 0) return '0';
  return `${offset.side === 'before' ? '-' : ''}${offset.amount}${offset.unit}`;
}

export function offsetFits(amount: number, unit: StepUnit): boolean {
  return Number.isInteger(amount) && amount >= 0 && amount * MINUTES[unit] <= MAX_OFFSET_MINUTES;
}

const UNIT_WORDS: Record<StepUnit, { one: MessageKey; many: MessageKey }> = {
  m: { one: 'care.unit.minute', many: 'care.unit.minutes' },
  h: { one: 'care.unit.hour', many: 'care.unit.hours' },
  d: { one: 'care.unit.day', many: 'care.unit.days' },
};

/** A unit's name for an amount of it: 天, or day and days. */
export function unitWord(t: (key: MessageKey) => string, unit: StepUnit, amount = 2): string {
  return t(amount === 1 ? UNIT_WORDS[unit].one : UNIT_WORDS[unit].many);
}

/** 「30 分钟后」, 「3 天前」, 「触发时」. */
export function describeOffset(t: (key: MessageKey, vars?: Record<string, string | number>) => string, after: string): string {
  const offset = readOffset(after);
  if (offset.amount === 0) return t('care.offset.now');
  return t(offset.side === 'before' ? 'care.offset.before' : 'care.offset.after', { n: offset.amount, unit: unitWord(t, offset.unit, offset.amount) });
}

/**
 * 「30 分钟后、3 天后、7 天后」. Steps at one time with conditions of their own are alternatives (a
 * birthday coupon by level): they read as one time and how many, not the same time twice.
 */
export function describeSteps(t: (key: MessageKey, vars?: Record<string, string | number>) => string, steps: readonly { after: string; condition?: string | null }[]): string {
  const groups: { after: string; count: number; conditional: boolean }[] = [];
  for (const step of steps) {
    const conditional = Boolean(step.condition);
    const last = groups.at(-1);
    if (last && last.after === step.after && last.conditional && conditional) last.count++;
    else groups.push({ after: step.after, count: 1, conditional });
  }
  return groups
    .map((group) => {
      const when = describeOffset(t, group.after);
      if (group.count > 1) return t('care.offset.alternatives', { when, count: group.count });
      return group.conditional ? t('care.offset.conditional', { when }) : when;
    })
    .join(t('care.separator'));
}
