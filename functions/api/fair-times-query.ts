/**
 * The query of `GET /admin/series/{seriesId}/fair-times`: what to score, suggest, plan and
 * draw, every field optional. Read strictly: an unknown or malformed parameter is a 400 that
 * names it (a misspelt `windw=` silently ignored would answer another question).
 */
import type { Context } from 'hono';
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { Id } from '../../events/shared/values.js';
import { BadRequestError, fieldProblem } from './problems.js';

const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const hours = (what: string) =>
  z
    .string()
    .regex(HOURS, `${what} are two times of day, from-to: 08:00-21:00`)
    .transform((text) => ({ from: text.slice(0, 5), to: text.slice(6) }));
const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = <T extends z.ZodType>(item: T, max: number) =>
  z
    .string()
    .transform((text) => text.split(',').map((s) => s.trim()).filter((s) => s !== ''))
    .pipe(z.array(item).min(1).max(max) as unknown as z.ZodType<z.output<T>[], string[]>);

/** At most this many explicit candidates (`at=`) and chosen members (`members=`) in one query. */
export const MAX_AT = 50;
export const MAX_MEMBERS = 100;

export const FairTimesQuery = z
  .strictObject({
    duration: whole(1, 1440).optional().describe("Minutes each candidate lasts; default the series' sessions' usual length, else 60"),
    waking: hours('waking hours').optional().describe('Local hours a session must lie wholly inside to count as awake; default 08:00-21:00'),
    night: hours('night hours').optional().describe('Local hours of night; default 23:00-06:00'),
    members: list(Id, MAX_MEMBERS).optional().describe("Score for these members' zones (comma-separated ids, at most 100) instead of the series' registrants"),
    registrantsOf: Id.optional().describe("Score for another series' registrants (e.g. last year's edition) instead of this series'"),
    at: z.array(z.string().min(1)).max(MAX_AT).optional().describe('Candidate start instants to score (repeat the parameter; ISO 8601 with Z or an offset), at most 50'),
    from: z.string().regex(DATE, 'from is a date: 2027-03-01').optional().describe("First date to suggest times on, in the series' zone"),
    to: z.string().regex(DATE, 'to is a date: 2027-03-14').optional().describe('Last date to suggest times on (inclusive)'),
    window: hours('the daily window').optional().describe("Earliest and latest start, in the series' zone; default 00:00-23:30"),
    every: whole(5, 240).optional().describe('Minutes between candidate starts; default 30'),
    weekdays: list(whole(1, 7), 7).optional().describe('ISO weekdays to suggest on (1 = Monday … 7 = Sunday), comma-separated; default every day'),
    count: whole(1, 50).optional().describe('How many suggestions; default 5'),
    rotation: whole(1, 60).optional().describe('Plan a rotation of this many sessions from the times between from and to'),
    perSlot: whole(1, 60).optional().describe('How often the rotation may use one candidate time; default 1'),
    groupBy: z.enum(['region', 'offset']).optional().describe('Zone groups the rotation shares the nights between: by region (America, Asia…) or by 4-hour UTC offset bands; default region'),
    threshold: z.coerce.number().min(0).max(1).optional().describe("Share of a group's registrants at night that makes it the group's night session; default 0.5"),
    twin: z.enum(['true', 'false']).optional().describe('Choose the best pair of times for one session given twice (a twin session) between from and to'),
    twinGap: whole(0, 1440).optional().describe('Minutes at least between the end of the first twin and the start of the second; default 0'),
    week: z
      .string()
      .regex(/^\d{4}-(W(0[1-9]|[1-4]\d|5[0-3])|(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$/, 'week is an ISO week (2027-W12) or a date in it')
      .optional()
      .describe("The week the heat map shows (ISO week or a date in it); default the week of from, else of the next session, else this week"),
    format: z.enum(['json', 'svg']).optional().describe('json or svg, instead of the Accept header (to open the heat map in a browser tab)'),
  })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'from and to go together: the dates to suggest times between' });
    if (q.from && q.to && q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `to (${q.to}) is before from (${q.from})` });
    for (const needsRange of ['rotation', 'twin', 'window', 'every', 'weekdays', 'count'] as const) {
      if (q[needsRange] !== undefined && q.from === undefined) ctx.addIssue({ code: 'custom', path: [needsRange], message: `${needsRange} needs from and to: the dates to choose times between` });
    }
    if (q.members && q.registrantsOf) ctx.addIssue({ code: 'custom', path: ['members'], message: 'members and registrantsOf are two answers to one question: give one' });
    for (const needsRotation of ['perSlot', 'groupBy', 'threshold'] as const) {
      if (q[needsRotation] !== undefined && q.rotation === undefined) ctx.addIssue({ code: 'custom', path: [needsRotation], message: `${needsRotation} needs rotation` });
    }
    if (q.twinGap !== undefined && q.twin !== 'true') ctx.addIssue({ code: 'custom', path: ['twinGap'], message: 'twinGap needs twin=true' });
  });

export type FairTimesQuery = z.output<typeof FairTimesQuery>;

/** The request's query as FairTimesQuery: `at` may repeat, any other parameter once. */
export function readFairTimesQuery(c: Context): FairTimesQuery {
  const raw: Record<string, string | string[]> = {};
  const repeated: string[] = [];
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (name === 'at') raw.at = values;
    else {
      if (values.length > 1) repeated.push(name);
      raw[name] = values[0]!;
    }
  }
  if (repeated.length > 0) throw new BadRequestError('invalid-query', `Give ${repeated.join(', ')} once.`, repeated.map((name) => fieldProblem([name], `${name} is given more than once`)));
  const parsed = FairTimesQuery.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => fieldProblem([key], `unknown parameter ${key}`))
        : [fieldProblem(issue.path.slice(0, 1), `${String(issue.path[0] ?? 'query')}: ${issue.message}`)],
    );
    throw new BadRequestError('invalid-query', errors.map((e) => e.detail).join('; '), errors);
  }
  return parsed.data;
}
