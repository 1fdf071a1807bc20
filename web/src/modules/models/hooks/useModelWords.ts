// The words a page shows a model's tag in: the catalog's English ones in English while the tag
// keeps the catalog's Chinese words (see modelLabel), read from `GET /models` once per page part.
import { useCallback, useMemo } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { modelLabel, modelTagDescription, modelTagName, modelTagValueName, type NamedTag } from '../utils/modelLabel';
import { useModels } from './useModels';

export interface ModelWords {
  tagName: (tag: NamedTag) => string;
  valueName: (tag: NamedTag, value: { name: string; key?: string | undefined }) => string;
  label: (label: string, kind?: string | null) => string;
  description: (tag: NamedTag, description: string) => string;
}

export function useModelWords(): ModelWords {
  const { lang } = useSession();
  // Chinese reads the stored words: nothing to fetch.
  const { models } = useModels(lang === 'en-US');
  const tagName = useCallback((tag: NamedTag) => modelTagName(tag, models, lang), [models, lang]);
  const valueName = useCallback((tag: NamedTag, value: { name: string; key?: string | undefined }) => modelTagValueName(tag, value, models, lang), [models, lang]);
  const label = useCallback((text: string, kind?: string | null) => modelLabel(text, models, lang, kind), [models, lang]);
  const description = useCallback((tag: NamedTag, text: string) => modelTagDescription(tag, text, models, lang), [models, lang]);
  return useMemo(() => ({ tagName, valueName, label, description }), [tagName, valueName, label, description]);
}
