import { Segmented } from 'antd';
import { useSession } from '../hooks/useSession';
import type { Lang } from '../utils/sessionContext';

export function LanguageSwitch() {
  const { lang, setLang } = useSession();
  return (
    <Segmented<Lang>
      data-testid="language-switch"
      value={lang}
      onChange={setLang}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en-US', label: 'EN' },
      ]}
    />
  );
}
