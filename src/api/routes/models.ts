// Models over HTTP: the ready-made classifications (RFM, lifecycle, personas, …), enabling
// them with parameters, refreshing their thresholds, and turning them off.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { configureModel, disableModel, getModel, listModels, refreshModel } from '../../engine/models.js';
import { KEY_PATTERN, KEY_RULE } from '../../core/names.js';
import { contextOf, type AppOptions } from '../app.js';
import { FIRST_BATCH_TEXT, workspaceHeaders } from './shared.js';
import { ETAG_NOTE, IF_MATCH_DELETE_NOTE, IF_MATCH_NOTE, NO_CONTENT } from '../openapi.js';
import { assertMatch } from '../conditional.js';

const modelParams = z.object({ model: z.string().min(1).max(64) });

export const modelRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get(
    '/models',
    { schema: { tags: ['models'], summary: 'The models, enabled or not, with their parameters and generated conditions', headers: workspaceHeaders } },
    async (request) => ({ items: await listModels(await contextOf(request, options)) }),
  );

  app.get(
    '/models/:model',
    { config: { conditional: {} }, schema: { tags: ['models'], summary: 'One model', description: ETAG_NOTE, headers: workspaceHeaders, params: modelParams } },
    async (request) => getModel(await contextOf(request, options), request.params.model),
  );

  app.put(
    '/models/:model',
    {
      config: { conditional: {} },
      schema: {
        tags: ['models'],
        summary: 'Enable a model, or change its parameters',
        description:
          `Declares the metrics the model reads (computing them for every customer when new), computes its thresholds (RFM), and creates or updates its tag (kind \`model\`) with generated conditions, then applies the tag to everyone: the first ${FIRST_BATCH_TEXT} customers before the call answers, the rest in the background (the tag’s \`rule_pass\` in \`GET /api/v1/tags/{tag}\` shows the progress until it is \`null\`). Omitted parameters take their defaults. Answers the model as \`GET /models/{model}\` does, with its new ETag. ${IF_MATCH_NOTE}`,
        headers: workspaceHeaders,
        params: modelParams,
        body: z.strictObject({
          params: z.record(z.string(), z.unknown()).default({}),
          tag_key: z.string().regex(KEY_PATTERN, KEY_RULE).optional().describe("The key of the model's tag, where the tag library has a tag of the model's key already; chosen when the model is first enabled (the model's own key otherwise)."),
        }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await getModel(context, request.params.model)]);
      return configureModel(context, request.params.model, request.body.params, { tagKey: request.body.tag_key });
    },
  );

  app.post(
    '/models/:model/refresh',
    {
      schema: {
        tags: ['models'],
        summary: 'Recompute the thresholds now',
        description:
          'The scheduler does this daily; the levels themselves follow every event in real time. Answers the model with `refreshed` and, when nothing was computed afresh, `not_refreshed` saying why (`{code, detail, detail_zh}`): `NO_THRESHOLDS` for a model without thresholds (all but RFM), left as it was; `NO_BUYERS` when no customer has a paid order in the window, the thresholds before being kept (or none yet, and no customer has a level) rather than ones of 0 that would rate every new buyer high.',
        headers: workspaceHeaders,
        params: modelParams,
      },
    },
    async (request) => refreshModel(await contextOf(request, options), request.params.model),
  );

  app.delete(
    '/models/:model',
    { config: { ...NO_CONTENT, deletesTagged: {} }, schema: { tags: ['models'], summary: 'Turn a model off', description: `Its tag is archived; the tag history stays. ${IF_MATCH_DELETE_NOTE}`, headers: workspaceHeaders, params: modelParams } },
    async (request, reply) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await getModel(context, request.params.model)]);
      await disableModel(context, request.params.model);
      return reply.status(204).send();
    },
  );
};
