/** The double opt-in mail for a registration: composed for the member and handed to SES. */
import type { Mailer } from '../adapters/mailer/mailer.js';
import type { ConfirmationRequest } from '../api/routes/registrations.js';
import { composeConfirmationMail, type ComposeOptions } from './confirmation-mail.js';

export function confirmationSender(mailer: Mailer, options: ComposeOptions) {
  return async (request: ConfirmationRequest): Promise<void> => {
    const { series } = request;
    const sessions = Object.values(series.sessions)
      .filter((s) => request.sessionIds === 'all' || request.sessionIds.includes(s.sessionId))
      .filter((s) => s.status === 'scheduled')
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
      .map((s) => ({ title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, timeZone: s.timeZone, status: s.status }));
    const raw = await composeConfirmationMail(
      {
        to: request.to,
        language: request.language,
        memberTimeZone: request.memberTimeZone,
        series: { title: series.title, languages: series.languages, organiser: series.organiser, kind: series.kind },
        sessions,
        confirmUrl: request.confirmUrl,
        unsubscribeUrl: request.unregisterUrl,
        // Read by the organiser's team: the one-click link above needs no one.
        unsubscribeMailto: `mailto:${series.organiser.email}?subject=${encodeURIComponent('Unsubscribe')}`,
      },
      options,
    );
    await mailer.sendRaw(raw);
  };
}
