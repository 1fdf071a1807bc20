// Small read endpoints the web console's overview needs: headline counts, the workspace's
// latest tag changes, and daily additions per value of one tag. Every answer is limited to
// the tags the acting user may see, like the portrait.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DAY_MS, toIso } from '../../core/time.js';
import { getTag, loadTags } from '../../engine/library.js';
import { MERGE_SOURCE } from '../../engine/history.js';
import { countDueReminders } from '../../engine/care.js';
import { assertBrowsable } from '../access.js';
import { contextOf, type AppOptions } from '../app.js';
import { numberParameter, workspaceHeaders } from './shared.js';

export const consoleRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get(
    '/overview',
    { schema: { tags: ['console'], summary: 'How many customers there are, how many hold at least one visible tag, and how many care reminders are due', headers: workspaceHeaders } },
    async (request) => {
      const context = await contextOf(request, options);
      const visible = (await loadTags(context)).map((tag) => tag.id);
      // From the index: a distinct count over millions of assignment rows took seconds.
      const [customers, tagged, careDue] = await Promise.all([options.audience.population(context), options.audience.holdersOfAny(context, visible), countDueReminders(context)]);
      return { customers, tagged, tags: visible.length, care_due: careDue };
    },
  );

  app.get(
    '/history',
    {
      schema: {
        tags: ['console'],
        summary: 'The newest tag changes of the workspace',
        description: 'Newest first, with the customer’s id and name; only tags the acting user may see.',
        headers: workspaceHeaders,
        querystring: z.object({ limit: numberParameter(z.number().int().min(1).max(500).default(20)) }),
      },
    },
    async (request) => {
      // Each change names its customer: a list of customers, read by a viewer as the others are.
      assertBrowsable(request, { offset: 0, limit: request.query.limit }, 'limit');
      const context = await contextOf(request, options);
      const tags = await loadTags(context, { includeArchived: true });
      if (tags.length === 0) return { items: [] };
      const keys = new Map(tags.map((tag) => [tag.id, tag.key]));
      const rows = await context.store.db
        .selectFrom('tag_history')
        .innerJoin('customers', 'customers.id', 'tag_history.customer_id')
        .select(['tag_history.action', 'tag_history.tag_id', 'tag_history.label', 'tag_history.source', 'tag_history.actor', 'tag_history.at', 'tag_history.merged_from', 'customers.external_id', 'customers.name'])
        .where('tag_history.workspace_id', '=', context.workspaceId)
        .where('tag_history.tag_id', 'in', [...keys.keys()])
        // What a merge wrote for webhooks: nobody's tags changed.
        .where('tag_history.source', '<>', MERGE_SOURCE)
        .orderBy('tag_history.at', 'desc')
        .orderBy('tag_history.id', 'desc')
        .limit(request.query.limit)
        .execute();
      return {
        items: rows.map((row) => ({
          customer_id: row.external_id,
          customer_name: row.name,
          action: row.action,
          tag: keys.get(row.tag_id) ?? null,
          label: row.label,
          source: row.source,
          actor: row.actor,
          at: toIso(Number(row.at)),
          merged_from: row.merged_from,
        })),
      };
    },
  );

  app.get(
    '/history/trend',
    {
      schema: {
        tags: ['console'],
        summary: 'Customers who newly took each value of a tag, per day',
        description: 'Counts `add` and `replace` changes per value and per day (in the workspace’s time zone) over the last `days` days, oldest day first.',
        headers: workspaceHeaders,
        querystring: z.object({ tag: z.string().min(1).max(128), days: numberParameter(z.number().int().min(1).max(366).default(30)) }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const tag = await getTag(context, request.query.tag);
      const { db } = context.store;
      const workspace = await db.selectFrom('workspaces').select('utc_offset_minutes').where('id', '=', context.workspaceId).executeTakeFirst();
      const offset = (workspace?.utc_offset_minutes ?? 0) * 60_000;
      const days = request.query.days;
      const today = Math.floor((context.now().getTime() + offset) / DAY_MS);
      const firstDay = today - days + 1;
      const rows = await db
        .selectFrom('tag_history')
        .select(['value_id', 'at'])
        .where('workspace_id', '=', context.workspaceId)
        .where('tag_id', '=', tag.id)
        .where('action', 'in', ['add', 'replace'])
        .where('source', '<>', MERGE_SOURCE)
        .where('at', '>=', firstDay * DAY_MS - offset)
        .execute();
      const series = new Map(tag.values.map((value) => [value.id, { value: value.key, name: value.name, counts: new Array<number>(days).fill(0) }]));
      for (const row of rows) {
        const day = Math.floor((Number(row.at) + offset) / DAY_MS) - firstDay;
        const entry = series.get(row.value_id);
        if (entry && day >= 0 && day < days) entry.counts[day] = (entry.counts[day] ?? 0) + 1;
      }
      const dates = Array.from({ length: days }, (_, i) => new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10));
      return { tag: tag.key, name: tag.name, dates, series: [...series.values()] };
    },
  );
};
