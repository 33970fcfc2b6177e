/**
 * The forms of the members' pages (functions/pages/member-pages.tsx), as their routes read them
 * (a form, or the same fields as JSON: functions/api/request.ts readForm) and as /openapi.json
 * documents them. A repeated field (a box ticked for each session) is a list.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { Email, Id, LanguageTag, ReminderOffset, SingleLine, TimeZone } from '../../events/shared/values.js';

/** One value or several. */
const list = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

export const ConfirmForm = z.object({
  name: z.union([z.literal(''), SingleLine(200)]).optional().describe("The member's name, as organisers will see it (offered pre-filled with the name given with the request)"),
});

export const PreferencesForm = z.object({
  language: LanguageTag.optional(),
  timeZone: TimeZone.optional(),
  reminders: list(z.union([z.literal('default'), ReminderOffset])).optional().describe('`default` (each series its own), or the offsets chosen (P1D, PT1H...)'),
});

export const SessionsForm = z.object({
  seriesId: Id,
  sessions: list(z.union([z.literal('all'), Id])).optional().describe('`all`, or the session ids chosen; none at all leaves the series'),
});

export const SeriesForm = z.object({ seriesId: Id });

export const StopMailForm = z.object({ seriesId: Id.optional().describe("One series' mail; without it, all mail") });

export const ManageLinkForm = z.object({ email: Email });

/** A form whose fields are all optional and ignored (a button). */
export const EmptyForm = z.object({}).passthrough();
