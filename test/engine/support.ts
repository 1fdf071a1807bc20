import { TagbaseError } from '../../src/core/errors.js';
import { tagInputSchema, type TagInput } from '../../src/core/tag.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { createTag } from '../../src/engine/library.js';

/** The error a call fails with; fails the test if it succeeds or throws something else. */
export async function rejected(promise: Promise<unknown>): Promise<TagbaseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TagbaseError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function defineTag(context: WorkspaceContext, input: Partial<TagInput> & Pick<TagInput, 'key' | 'name' | 'values'>) {
  return createTag(context, tagInputSchema.parse(input));
}

export const interests = {
  key: 'interests',
  name: '兴趣爱好',
  cardinality: 'multi' as const,
  values: [
    { key: 'golf', name: '高尔夫' },
    { key: 'fishing', name: '钓鱼' },
    { key: 'yoga', name: '瑜伽' },
  ],
};

export const stage = {
  key: 'stage',
  name: '服务阶段',
  ordered: true,
  values: [
    { key: 'pre', name: '售前' },
    { key: 'during', name: '售中' },
    { key: 'after', name: '售后' },
  ],
};
