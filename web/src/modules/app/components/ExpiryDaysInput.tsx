import { NumberInput } from './NumberInput';
import type { CSSProperties } from 'react';
import { useSession } from '../hooks/useSession';
import { pluralKey } from '../utils/messages';
import type { TagJson } from '../utils/types';

interface Props {
  /** The tag being given, whose default expiry applies when the field is left empty; none chosen yet when undefined. */
  tag: Pick<TagJson, 'default_expiry_days'> | undefined;
  value: number | null;
  onChange: (days: number | null) => void;
  testId: string;
  style?: CSSProperties;
  /** Named in front of the field, where it stands alone (a dialog's line of its own) rather than in a row that says what it is for. */
  labelled?: boolean;
}

/**
 * 有效天数: for how many days a tag given by hand is held, on the portrait and in bulk alike. Left
 * empty, the tag's default expiry applies, as the API's does, and the placeholder says which.
 */
export function ExpiryDaysInput({ tag, value, onChange, testId, style, labelled = false }: Props) {
  const { t } = useSession();
  return (
    <NumberInput<number>
      data-testid={testId}
      aria-label={t('portrait.expiryDays')}
      style={{ width: 150, ...style }}
      min={1}
      max={36_500}
      precision={0}
      value={value}
      onChange={onChange}
      addonBefore={labelled ? t('portrait.expiryDays') : undefined}
      // Left empty, the tag's own default: said, so that nobody thinks it never expires when it does.
      placeholder={tag?.default_expiry_days ? t(pluralKey('portrait.expiryDefault', tag.default_expiry_days), { days: tag.default_expiry_days }) : tag ? t('portrait.expiryNever') : t('portrait.expiryDays')}
    />
  );
}
