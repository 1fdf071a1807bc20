// The time zones a workspace is offered, as offsets from UTC (the server takes any quarter hour
// from UTC-12:00 to UTC+14:00): for a new workspace, and for one moved to another zone.
import { formatUtcOffset } from '../../../../../src/core/time';
import type { MessageKey } from './messages';

/** The offsets places keep, minutes east of UTC (the half and quarter hours of India, Nepal, Iran …). */
const ZONES = [
  -720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -120, -60, 0, 60, 120, 180, 210, 240, 270, 300, 330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630, 660, 720, 765, 780, 840,
];

/** A few places in each of the zones merchants most often ask for, so that the list reads as places and not only numbers. */
const PLACES: Readonly<Record<number, MessageKey>> = {
  480: 'workspaces.zone.china',
  540: 'workspaces.zone.japan',
  420: 'workspaces.zone.thailand',
  330: 'workspaces.zone.india',
  240: 'workspaces.zone.dubai',
  60: 'workspaces.zone.europe',
  0: 'workspaces.zone.london',
  [-300]: 'workspaces.zone.newYork',
  [-480]: 'workspaces.zone.losAngeles',
  600: 'workspaces.zone.sydney',
};

/** China time, as the server assumes when none is given. */
export const DEFAULT_ZONE = 480;

/**
 * The zones to choose from, each as `UTC+08:00 中国、新加坡`. `current`, a zone the workspace was
 * given elsewhere (`tagbase workspace update --utc-offset +04:45`), is among them in its place.
 */
export function zoneOptions(t: (key: MessageKey) => string, current?: number): { value: number; label: string }[] {
  const offsets = current === undefined || ZONES.includes(current) ? ZONES : [...ZONES, current].sort((a, b) => a - b);
  return offsets.map((minutes) => {
    const place = PLACES[minutes];
    return { value: minutes, label: place ? `${formatUtcOffset(minutes)} ${t(place)}` : formatUtcOffset(minutes) };
  });
}
