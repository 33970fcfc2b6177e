/**
 * The series page's registration form, as a browser posts it (application/x-www-form-
 * urlencoded, no script): read loosely, then each field checked on its own, so the page can
 * show every problem next to its field, in the visitor's language. A program posts JSON
 * (routes/registrations.tsx RegisterBody) and gets problem+json instead.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { ReminderOffset } from '../../events/shared/values.js';
import { RegistrantFields } from '../adapters/intake/registration-intake.js';
import type { RegistrationFormState, RegistrationProblem } from '../pages/series-page.js';

const text = z.string().max(1000);
const list = z.union([text, z.array(text).max(600)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** Every field of the form, any value: checked by `registrationFromForm`. */
export const RegistrationFormFields = z.object({
  name: text.optional(),
  email: text.optional(),
  language: text.optional(),
  timeZone: text.optional(),
  sessions: list.optional(),
  /** The ticked offsets, after an empty value the form always sends (so that none ticked means no reminders). */
  reminders: list.optional(),
  consent: text.optional(),
});

export interface FormRegistration {
  readonly name: string;
  readonly email: string;
  readonly language: string;
  readonly timeZone: string;
  readonly sessions: 'all' | string[];
  /** Present when the visitor chose other reminders than the series' own. */
  readonly reminderOffsets?: string[];
}

/**
 * The registration the form asks for, or the form again with its problems. `sessionsExist`
 * says whether every session id asked for is one of the series' (and not cancelled).
 */
export function registrationFromForm(
  fields: z.output<typeof RegistrationFormFields>,
  sessionsExist: (sessions: readonly string[]) => boolean,
  seriesReminders: readonly string[],
): { registration: FormRegistration } | RegistrationFormState {
  const values = {
    name: (fields.name ?? '').trim(),
    email: (fields.email ?? '').trim(),
    language: (fields.language ?? '').trim(),
    timeZone: (fields.timeZone ?? '').trim(),
    sessions: fields.sessions ?? [],
    reminders: fields.reminders === undefined ? [...seriesReminders] : fields.reminders.filter((r) => r !== ''),
    consent: fields.consent === 'yes',
  };
  const problems: RegistrationProblem[] = [];
  const name = RegistrantFields.name.safeParse(values.name);
  if (!name.success) problems.push('name');
  const email = RegistrantFields.email.safeParse(values.email);
  if (!email.success) problems.push('email');
  const language = RegistrantFields.language.safeParse(values.language);
  if (!language.success) problems.push('language');
  const timeZone = RegistrantFields.timeZone.safeParse(values.timeZone);
  if (!timeZone.success) problems.push('timeZone');
  const sessions: 'all' | string[] = values.sessions.includes('all') ? 'all' : [...new Set(values.sessions)];
  if (sessions !== 'all' && (sessions.length === 0 || !sessionsExist(sessions))) problems.push('sessions');
  const reminders = z.array(ReminderOffset).max(10).safeParse([...new Set(values.reminders)]);
  if (!reminders.success) problems.push('reminders');
  if (!values.consent) problems.push('consent');
  if (problems.length > 0 || !name.success || !email.success || !language.success || !timeZone.success || !reminders.success) return { values, problems };
  const asSeries = reminders.data.length === seriesReminders.length && seriesReminders.every((o) => reminders.data.includes(o));
  return {
    registration: { name: name.data, email: email.data, language: language.data, timeZone: timeZone.data, sessions, ...(asSeries ? {} : { reminderOffsets: reminders.data }) },
  };
}
