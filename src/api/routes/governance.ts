// Tag governance over HTTP: the report of unused, empty, overlapping (by value), broken, crowded and
// duplicated tags, and of one phone number held by two customers, with its thresholds as query parameters.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { governanceReport, governanceReportToJson } from '../../engine/governance.js';
import { MAX_BROWSED_ROWS, roleAllows } from '../../core/access.js';
import { accessOf } from '../access.js';
import { contextOf, type AppOptions } from '../app.js';
import { numberParameter, workspaceHeaders } from './shared.js';

const governanceQuery = z.strictObject({
  jaccard: numberParameter(z.number().gt(0).max(1).optional().describe('Overlap threshold |A∩B| / |A∪B| of two values\' holders, default 0.9')),
  min_members: numberParameter(z.number().int().min(1).max(1_000_000_000).optional().describe('Only compare values held by at least this many customers, default 20')),
  group_budget: numberParameter(z.number().int().min(1).max(100_000).optional().describe('Most tags per group, default 30')),
  min_owners: numberParameter(z.number().int().min(2).max(10_000).optional().describe('Staff members who made the same personal tag, default 3')),
});

export const governanceRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get(
    '/governance',
    {
      schema: {
        tags: ['tag library'],
        summary: 'Tag governance report',
        description: 'Unused tags (none are listed while the workspace has no customers), values nobody holds, values of two tags whose holders nearly coincide, rules reading archived tags, groups over budget, shared tags whose names read as one (width, case, spaces and punctuation aside: 高价值 and 高 价值; active shared tags only, each group as `{normalised_name, tags: [{tag, name, kind, group}]}`), personal tags several staff made (candidates for the shared library; listed to administrators only, as they name other staff members\' personal tags and their owners), and pairs of customers holding one phone number written two ways (00… and +…; merge them if they are one person).',
        headers: workspaceHeaders,
        querystring: governanceQuery,
      },
    },
    async (request) => {
      const query = request.query;
      const thresholds = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
      const context = await contextOf(request, options);
      const role = accessOf(request).role;
      const reader = { seesOthersPersonalTags: roleAllows(role, 'admin') };
      const report = governanceReportToJson(await governanceReport(context, thresholds, await options.audience.tagMembership(context), reader));
      // The pairs name customers and their phones: a role that reads the first rows of a list of customers only reads the first pairs.
      return roleAllows(role, 'export') ? report : { ...report, same_phone_two_ways: report.same_phone_two_ways.slice(0, MAX_BROWSED_ROWS) };
    },
  );
};
