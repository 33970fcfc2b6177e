/** Building schedules and recorded series events for the pure tests of feeds and mail. */
import type { ScheduledSession } from '../../events/projections/schedule.js';
import type { SeriesEvent } from '../../events/series/events.js';
import type { RecordedEvent } from '../../events/shared/event.js';

/** What every member mail test composes with: the sender, and the unsubscribe links a mail carries. */
export const COMPOSE_OPTIONS = { from: 'Convene <no-reply@convene.example.org>', messageIdDomain: 'convene.example.org' };
export const UNSUBSCRIBE_URL = 'https://convene.example.org/registrations/unregister?token=dW5yZWdpc3Rlcg.c2ln';
export const UNSUBSCRIBE_MAILTO = 'mailto:unsubscribe@convene.example.org?subject=unregister%20dW5yZWdpc3Rlcg';
/** The member's page link every mail carries (functions/links/member-links.ts). */
export const MANAGE_URL = 'https://convene.example.org/manage?token=m.test';
/** When the fixtures' series and sessions were made. */
export const CREATED = '2027-01-10T09:00:00.000Z';

type SessionFields = Partial<ScheduledSession> & Pick<ScheduledSession, 'sessionId' | 'title' | 'startsAt' | 'endsAt'>;

/**
 * A session as the schedule read model holds it: scheduled, New York, English, no speakers,
 * SEQUENCE 0, made and last changed at `created`, recording unpublished; `fields` win.
 */
export function scheduledSession(created: string, fields: SessionFields): ScheduledSession {
  return {
    status: 'scheduled',
    timeZone: 'America/New_York',
    language: 'en',
    speakers: [],
    sequence: 0,
    createdAt: created,
    updatedAt: created,
    timingSetAt: created,
    publication: { status: 'unpublished' },
    ...fields,
  };
}

/** Stamps series events with store metadata, versions 1, 2, 3... in the order they are recorded. */
export function seriesRecorder(streamId: string): (at: string, event: SeriesEvent) => RecordedEvent<SeriesEvent> {
  let version = 0;
  return (at, event) => {
    version++;
    return {
      ...event,
      metadata: {
        eventId: `${streamId}-e${version}`,
        streamId,
        version,
        schemaVersion: 1,
        recordedAt: at,
        actor: { kind: 'organiser', id: 'org-1' },
        correlationId: `c${version}`,
        causationId: `c${version}`,
      },
    };
  };
}
