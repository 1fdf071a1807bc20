// What the workspace calls the things an audit trail names: its tags (archived ones too) and their
// values, tag groups, segments, care plans and models, and what the workspaces are called (a demo
// loaded, a workspace made or renamed). A list the server could not read leaves its things named by
// their keys, as the entries recorded them.
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import type { TagGroupJson, TagJson } from '../../app/utils/types';
import type { WorkspaceJson } from '../../app/components/WorkspaceCreateDialog';
import type { CarePlanList } from '../../care/utils/types';
import type { ModelJson } from '../../models/hooks/useModels';
import { modelTagName, modelTagValueName } from '../../models/utils/modelLabel';
import { modelTitle } from '../../models/utils/modelTitle';
import type { SegmentJson } from '../../segments/hooks/useSegments';
import type { AuditKind, AuditNames } from '../utils/target';

const byKey = (items: readonly { key: string; name: string }[] | undefined) => new Map((items ?? []).map((item) => [item.key, item.name]));

export function useAuditNames(enabled: boolean): AuditNames {
  const { lang } = useSession();
  const tags = useApiQuery<{ items: TagJson[] }>(enabled ? '/tags?archived=true' : null);
  const groups = useApiQuery<{ items: TagGroupJson[] }>(enabled ? '/tag-groups' : null);
  const segments = useApiQuery<{ items: SegmentJson[] }>(enabled ? '/segments' : null);
  const plans = useApiQuery<CarePlanList>(enabled ? '/care/plans' : null);
  const models = useApiQuery<{ items: ModelJson[] }>(enabled ? '/models' : null);
  const workspaces = useApiQuery<{ items: WorkspaceJson[] }>(enabled ? '/workspaces' : null);
  return useMemo(() => {
    const catalog = models.data?.items ?? [];
    // A model's tag and its values in the catalog's English words in English, as everywhere else.
    const tagItems = (tags.data?.items ?? []).map((tag) => ({ ...tag, name: modelTagName(tag, catalog, lang), values: tag.values.map((value) => ({ ...value, name: modelTagValueName(tag, value, catalog, lang) })) }));
    const things = new Map<AuditKind, ReadonlyMap<string, string>>([
      ['audit.kind.tags', byKey(tagItems)],
      ['audit.kind.tagGroups', byKey(groups.data?.items)],
      ['audit.kind.segments', byKey(segments.data?.items)],
      ['audit.kind.carePlans', byKey(plans.data?.items)],
      ['audit.kind.models', new Map((models.data?.items ?? []).map((model) => [model.key, modelTitle(model, lang)]))],
      ['audit.kind.workspaces', byKey(workspaces.data?.items)],
    ]);
    const tagValues = new Map(tagItems.map((tag) => [tag.key, byKey(tag.values)]));
    return { things, tagValues };
  }, [tags.data, groups.data, segments.data, plans.data, models.data, workspaces.data, lang]);
}
