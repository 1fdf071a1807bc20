import { SegmentedChoice } from './SegmentedChoice';
import { useSession } from '../hooks/useSession';
import type { Lang } from '../utils/sessionContext';

export function LanguageSwitch() {
  const { lang, setLang, t } = useSession();
  return (
    <SegmentedChoice<Lang>
      data-testid="language-switch"
      // Named in both languages: whoever cannot read the one shown finds the switch by the other.
      aria-label={t('session.language')}
      value={lang}
      onChange={setLang}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en-US', label: 'EN' },
      ]}
    />
  );
}
