/** The series page's form as a browser posts it: each field checked on its own, reminders only when other than the series' own. */
import { describe, expect, it } from 'vitest';
import { registrationFromForm } from '../../functions/api/registration-form.js';

const fields = { name: ' Lucía Pérez ', email: 'lucia@example.ec', language: 'es', timeZone: 'America/Guayaquil', sessions: ['all'], consent: 'yes' };
const exists = () => true;

describe('the registration form', () => {
  it('keeps the series’ reminders as they are when the visitor leaves them, and hands on another choice, none included', () => {
    expect(registrationFromForm({ ...fields, reminders: ['', 'P1D', 'PT1H'] }, exists, ['P1D', 'PT1H'])).toEqual({
      registration: { name: 'Lucía Pérez', email: 'lucia@example.ec', language: 'es', timeZone: 'America/Guayaquil', sessions: 'all' },
    });
    expect(registrationFromForm({ ...fields, reminders: ['', 'PT15M', 'P1D'] }, exists, ['P1D', 'PT1H'])).toMatchObject({ registration: { reminderOffsets: ['PT15M', 'P1D'] } });
    expect(registrationFromForm({ ...fields, reminders: [''] }, exists, ['P1D', 'PT1H'])).toMatchObject({ registration: { reminderOffsets: [] } });
    // A form without the field (a program's): the series' own.
    expect(registrationFromForm(fields, exists, ['P1D'])).not.toHaveProperty('registration.reminderOffsets');
  });

  it('names every field that is wrong, and keeps what was typed', () => {
    const form = registrationFromForm({ email: 'nope', reminders: ['', 'tomorrow'], sessions: ['x'] }, () => false, ['P1D']);
    expect(form).toMatchObject({ problems: ['name', 'email', 'language', 'timeZone', 'sessions', 'reminders', 'consent'], values: { email: 'nope', reminders: ['tomorrow'] } });
  });
});
