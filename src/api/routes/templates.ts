// Tag library templates over HTTP: the starter libraries, and applying one to the workspace.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { applyTemplate, listTemplates, showTemplate, type TagTemplate } from '../../engine/templates.js';
import { contextOf, type AppOptions } from '../app.js';
import { workspaceHeaders } from './shared.js';

const templateParams = z.object({ template: z.string().min(1).max(128) });

function summaryOf(template: TagTemplate) {
  return {
    key: template.key,
    name: template.name,
    name_en: template.name_en,
    description: template.description,
    description_en: template.description_en,
    groups: template.groups.length,
    tags: template.tags.length,
    values: template.tags.reduce((sum, tag) => sum + tag.values.length, 0),
  };
}

export const templateRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get('/templates', { schema: { tags: ['templates'], summary: 'List tag library templates' } }, async () => ({ items: listTemplates().map(summaryOf) }));

  app.get(
    '/templates/:template',
    { schema: { tags: ['templates'], summary: 'One template with its groups and tags', description: 'Found by key, Chinese or English name.', params: templateParams } },
    async (request) => {
      const template = showTemplate(request.params.template);
      return { key: template.key, name: template.name, name_en: template.name_en, description: template.description, description_en: template.description_en, groups: template.groups, tags: template.tags };
    },
  );

  app.post(
    '/templates/:template/apply',
    {
      schema: {
        tags: ['templates'],
        summary: 'Apply a template to the workspace',
        description:
          'Creates the groups, tags and values the workspace lacks. Anything that exists in another shape (an edited name or colour, a removed value, a personal tag with the key) is left as it is and listed in `conflicts`. Applying twice changes nothing.',
        headers: workspaceHeaders,
        params: templateParams,
      },
    },
    async (request) => applyTemplate(await contextOf(request, options), request.params.template),
  );
};
