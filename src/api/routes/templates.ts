// Tag library templates over HTTP: the starter libraries, and applying one to the workspace.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { applyTemplate, listTemplates, showTemplate, templateSummary, templateToJson } from '../../engine/templates.js';
import { contextOf, type AppOptions } from '../app.js';
import { workspaceHeaders } from './shared.js';

const templateParams = z.object({ template: z.string().min(1).max(128) });

export const templateRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get('/templates', { schema: { tags: ['templates'], summary: 'List tag library templates' } }, async () => ({ items: listTemplates().map(templateSummary) }));

  app.get(
    '/templates/:template',
    { schema: { tags: ['templates'], summary: 'One template with its groups and tags', description: 'Found by key, Chinese or English name.', params: templateParams } },
    async (request) => templateToJson(showTemplate(request.params.template)),
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
