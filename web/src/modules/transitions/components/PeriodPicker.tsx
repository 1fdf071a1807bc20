import { DatePicker, Radio, Space, type RadioChangeEvent } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// The calendar's month and weekday names in Chinese; the console's locale asks dayjs for them.
import 'dayjs/locale/zh-cn';
import { useRef, useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { workspaceToday } from '../../app/utils/format';
import { DEFAULT_DAYS, RECENT_DAYS, type Period } from '../utils/period';

const DATE_FORMAT = 'YYYY-MM-DD';

function pickerDate(text: string | undefined): Dayjs | null {
  if (text === undefined) return null;
  const date = dayjs(text);
  return date.isValid() ? date : null;
}

/** The last 7, 30 or 90 days, or a range of whole days picked on a calendar. */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const { t, utcOffsetMinutes } = useSession();
  const anchor = useRef<HTMLSpanElement>(null);
  // The calendar opens under the input, two months wide: wider than what is left of a phone's
  // screen there, so it gets that room and scrolls sideways inside it rather than off the screen.
  const [room, setRoom] = useState<number>();
  const measureRoom = (open: boolean) => {
    if (open && anchor.current) setRoom(Math.max(window.innerWidth - anchor.current.getBoundingClientRect().left - 12, 280));
  };
  const choosePreset = (event: RadioChangeEvent) => {
    const days = RECENT_DAYS.find((candidate) => candidate === event.target.value);
    if (days !== undefined) onChange({ kind: 'recent', days });
  };
  return (
    <Space wrap>
      <Radio.Group
        data-testid="transitions-preset"
        className="tb-wrapping-buttons"
        optionType="button"
        value={period.kind === 'recent' ? period.days : undefined}
        onChange={choosePreset}
        options={RECENT_DAYS.map((days) => ({ value: days, label: t(`transitions.last${days}`) }))}
      />
      <span data-testid="transitions-range" ref={anchor}>
        <DatePicker.RangePicker
          aria-label={t('transitions.period')}
          value={period.kind === 'custom' ? [pickerDate(period.from), pickerDate(period.to)] : null}
          // Nobody knows yet what customers will hold tomorrow; the server would refuse it. Tomorrow
          // is the workspace's: ahead of a browser west of it, behind one east of it.
          disabledDate={(date) => date.format(DATE_FORMAT) > workspaceToday(utcOffsetMinutes)}
          onChange={(dates) => onChange(dates ? { kind: 'custom', from: dates[0]?.format(DATE_FORMAT), to: dates[1]?.format(DATE_FORMAT) } : { kind: 'recent', days: DEFAULT_DAYS })}
          onOpenChange={measureRoom}
          panelRender={(panel) => <div style={{ maxWidth: room, overflowX: 'auto' }}>{panel}</div>}
        />
      </span>
    </Space>
  );
}
