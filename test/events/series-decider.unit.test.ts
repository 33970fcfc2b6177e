import { describe, expect, it } from 'vitest';
import { InvalidCommandError } from '../../events/shared/decider.js';
import { AlreadyExistsError, InvariantViolation, NonexistentLocalTimeError, NotFoundError } from '../../events/shared/errors.js';
import { seriesDecider, type SeriesEvent } from '../../events/series/index.js';
import { fold } from '../../events/shared/decider.js';
import { specFor } from '../support/decider-spec.js';
import { careCreated, careId, createDialogue, dialogueCreated, dialogueId, webinarScheduled } from './fixtures.js';

const spec = specFor(seriesDecider);
const schedule = (overrides: Record<string, unknown> = {}) =>
  ({
    type: 'ScheduleSession',
    seriesId: careId,
    sessionId: 'lecture-1',
    title: { en: 'Lecture 1' },
    start: '2027-05-23T15:00',
    durationMinutes: 90,
    ...overrides,
  }) as const;

describe('creating a series', () => {
  it('creates the 10th Virtual Dialogue with its window', () => {
    spec().when(createDialogue).then([dialogueCreated]);
  });

  it('refuses to create a series twice', () => {
    spec([dialogueCreated]).when(createDialogue).thenThrows(AlreadyExistsError);
  });

  it('refuses a dialogue that closes before it opens', () => {
    spec()
      .when({ ...createDialogue, window: { opens: '2027-05-14', closes: '2027-04-24' } })
      .thenThrows(InvariantViolation, /closes after it opens/, 'window.closes');
  });

  it('accepts a one-day dialogue: both window dates are included', () => {
    const [event] = spec().when({ ...createDialogue, window: { opens: '2027-05-03', closes: '2027-05-03' } }).events();
    expect(event?.type).toBe('SeriesCreated');
  });

  it('needs a window for a dialogue and refuses one for a lecture series', () => {
    const { window: _w, ...noWindow } = createDialogue;
    spec().when(noWindow).thenThrows(InvalidCommandError, /discussion window/, 'window');
    spec()
      .when({ ...createDialogue, kind: 'lecture-series' })
      .thenThrows(InvalidCommandError, /only a virtual dialogue/, 'window');
  });

  it('refuses an unknown time zone, naming the field', () => {
    spec().when({ ...createDialogue, timeZone: 'Mars/Olympus_Mons' }).thenThrows(InvalidCommandError, /IANA/, 'timeZone');
    spec().when({ ...createDialogue, timeZone: 'EST' }).thenThrows(InvalidCommandError, /IANA/, 'timeZone');
  });

  it('refuses reminder offsets in months or of zero length', () => {
    spec().when({ ...createDialogue, reminderOffsets: ['P7D', 'P1M'] }).thenThrows(InvalidCommandError, /weeks, days, hours or minutes/, 'reminderOffsets.1');
    spec().when({ ...createDialogue, reminderOffsets: ['PT0M'] }).thenThrows(InvalidCommandError, /longer than zero/, 'reminderOffsets.0');
  });

  it('needs a title in the first language, the fallback for mail and feeds', () => {
    spec()
      .when({ ...createDialogue, languages: ['es', 'en'] })
      .thenThrows(InvalidCommandError, /title in es/, 'title.es');
  });

  it('stores language tags in canonical BCP 47 form and refuses malformed ones', () => {
    const [event] = spec().when({ ...createDialogue, languages: ['en', 'ES-419'], title: { EN: 'Title' } }).events();
    expect(event?.data).toMatchObject({ languages: ['en', 'es-419'], title: { en: 'Title' } });
    spec().when({ ...createDialogue, languages: ['en', 'not a tag'] }).thenThrows(InvalidCommandError, /BCP 47/, 'languages.1');
  });

  it('refuses control characters in a title (they would split mail headers and ICS lines)', () => {
    spec()
      .when({ ...createDialogue, title: { en: 'Hello\r\nBcc: victim@example.org' } })
      .thenThrows(InvalidCommandError, /control characters/, 'title.en');
  });
});

describe('changing series details', () => {
  it('records only what changed', () => {
    spec([dialogueCreated])
      .when({ type: 'ChangeSeriesDetails', seriesId: dialogueId, title: createDialogue.title, reminderOffsets: ['P1D'] })
      .then([{ type: 'SeriesDetailsChanged', data: { seriesId: dialogueId, reminderOffsets: ['P1D'] } }]);
  });

  it('changes nothing when nothing differs', () => {
    spec([dialogueCreated]).when({ type: 'ChangeSeriesDetails', seriesId: dialogueId, timeZone: 'America/New_York' }).thenNothing();
  });

  it('keeps the window rule on change', () => {
    spec([dialogueCreated])
      .when({ type: 'ChangeSeriesDetails', seriesId: dialogueId, window: { opens: '2027-05-20', closes: '2027-05-14' } })
      .thenThrows(InvariantViolation, /closes after it opens/);
  });

  it('refuses changes to a series that does not exist', () => {
    spec().when({ type: 'ChangeSeriesDetails', seriesId: 'nope', reminderOffsets: [] }).thenThrows(NotFoundError);
  });
});

describe('scheduling a session', () => {
  it('resolves a wall-clock start in the home zone to UTC and keeps the zone', () => {
    const [event] = spec([careCreated]).when(schedule()).events();
    // 15:00 in New York in May is EDT (UTC-4).
    expect(event?.data).toMatchObject({ startsAt: '2027-05-23T19:00:00.000Z', endsAt: '2027-05-23T20:30:00.000Z', timeZone: 'America/New_York', language: 'en' });
  });

  it('accepts an instant with an offset', () => {
    const [event] = spec([careCreated]).when(schedule({ start: '2027-05-23T21:00:00+02:00', durationMinutes: 60 })).events();
    expect(event?.data).toMatchObject({ startsAt: '2027-05-23T19:00:00.000Z', endsAt: '2027-05-23T20:00:00.000Z' });
  });

  it('refuses a session that does not end after it starts', () => {
    spec([careCreated]).when(schedule({ durationMinutes: 0 })).thenThrows(InvariantViolation, /ends after it starts/, 'durationMinutes');
    spec([careCreated]).when(schedule({ durationMinutes: -30 })).thenThrows(InvariantViolation, /ends after it starts/);
    spec([careCreated])
      .when(schedule({ durationMinutes: undefined, end: '2027-05-23T14:00' }))
      .thenThrows(InvariantViolation, /ends after it starts/, 'end');
  });

  it('refuses a wall-clock time the DST change skips in the home zone', () => {
    // New York springs forward on 14 March 2027: 02:00 becomes 03:00.
    spec([careCreated]).when(schedule({ start: '2027-03-14T02:30' })).thenThrows(NonexistentLocalTimeError, /does not exist in America\/New_York/, 'start');
  });

  it('resolves a repeated wall-clock time to its first occurrence', () => {
    // New York falls back on 7 November 2027: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    const [event] = spec([careCreated]).when(schedule({ start: '2027-11-07T01:30', durationMinutes: 30 })).events();
    expect(event?.data).toMatchObject({ startsAt: '2027-11-07T05:30:00.000Z' });
  });

  it('refuses a language the series is not held in', () => {
    spec([careCreated]).when(schedule({ language: 'fr' })).thenThrows(InvalidCommandError, /not one of the series' languages/, 'language');
  });

  it('defaults the language to the series first language and accepts the second', () => {
    const [event] = spec([careCreated]).when(schedule({ language: 'es' })).events();
    expect(event?.data).toMatchObject({ language: 'es' });
  });

  it('refuses a session id used before and a series that does not exist', () => {
    const scheduled = spec([careCreated]).when(schedule()).events();
    spec([careCreated, ...scheduled]).when(schedule()).thenThrows(AlreadyExistsError);
    spec().when(schedule()).thenThrows(NotFoundError);
  });

  it('refuses a malformed start with a message naming the field', () => {
    spec([careCreated]).when(schedule({ start: 'next tuesday' })).thenThrows(InvalidCommandError, /start: must be a local time/, 'start');
  });
});

describe('rescheduling, changing and cancelling a session', () => {
  const cancelled: SeriesEvent = { type: 'SessionCancelled', data: { seriesId: dialogueId, sessionId: 'webinar', reason: 'Speakers unavailable' } };

  it('moves a session across a DST change, keeping its wall-clock duration', () => {
    // 15:00 New York on 7 March 2027 is 20:00Z (EST); on 21 March, after spring-forward, 19:00Z (EDT).
    const march: SeriesEvent = {
      type: 'SessionScheduled',
      data: { seriesId: careId, sessionId: 'march', startsAt: '2027-03-07T20:00:00.000Z', endsAt: '2027-03-07T21:30:00.000Z', timeZone: 'America/New_York', title: { en: 'March lecture' }, language: 'en', speakers: [] },
    };
    spec([careCreated, march])
      .when({ type: 'RescheduleSession', seriesId: careId, sessionId: 'march', start: '2027-03-21T15:00' })
      .then([
        {
          type: 'SessionRescheduled',
          data: {
            seriesId: careId,
            sessionId: 'march',
            startsAt: '2027-03-21T19:00:00.000Z',
            endsAt: '2027-03-21T20:30:00.000Z',
            timeZone: 'America/New_York',
            previousStartsAt: '2027-03-07T20:00:00.000Z',
            previousEndsAt: '2027-03-07T21:30:00.000Z',
          },
        },
      ]);
  });

  it('records nothing when the time does not change', () => {
    spec([dialogueCreated, webinarScheduled])
      .when({ type: 'RescheduleSession', seriesId: dialogueId, sessionId: 'webinar', start: '2027-05-03T10:00', durationMinutes: 60 })
      .thenNothing();
  });

  it('refuses to reschedule or change a cancelled session', () => {
    spec([dialogueCreated, webinarScheduled, cancelled])
      .when({ type: 'RescheduleSession', seriesId: dialogueId, sessionId: 'webinar', start: '2027-05-04T10:00' })
      .thenThrows(InvariantViolation, /cancelled and cannot be rescheduled/);
    spec([dialogueCreated, webinarScheduled, cancelled])
      .when({ type: 'ChangeSessionDetails', seriesId: dialogueId, sessionId: 'webinar', joinUrl: 'https://example.org/j' })
      .thenThrows(InvariantViolation, /cancelled/);
  });

  it('cancels once; cancelling again changes nothing', () => {
    spec([dialogueCreated, webinarScheduled])
      .when({ type: 'CancelSession', seriesId: dialogueId, sessionId: 'webinar', reason: 'Speakers unavailable' })
      .then([cancelled]);
    spec([dialogueCreated, webinarScheduled, cancelled])
      .when({ type: 'CancelSession', seriesId: dialogueId, sessionId: 'webinar', reason: 'again' })
      .thenNothing();
  });

  it('takes only a join link every mail can carry: https, at most 900 characters, stored as it serialises', () => {
    const change = (joinUrl: string) => ({ type: 'ChangeSessionDetails', seriesId: dialogueId, sessionId: 'webinar', joinUrl }) as const;
    for (const [joinUrl, why] of [
      ['http://meet.example.org/room-42', /https/],
      ['javascript:alert(1)', /https/],
      ['not a link', /not a URL/],
      [`https://meet.example.org/${'x'.repeat(900)}`, /at most 900/],
    ] as const) {
      spec([dialogueCreated, webinarScheduled]).when(change(joinUrl)).thenThrows(InvalidCommandError, why, 'joinUrl');
      spec([dialogueCreated]).when({ ...schedule({ seriesId: dialogueId, start: '2027-05-03T10:00', durationMinutes: 60 }), joinUrl }).thenThrows(InvalidCommandError, why, 'joinUrl');
    }
    spec([dialogueCreated, webinarScheduled])
      .when(change('https://Meet.Example.org/room 42'))
      .then([{ type: 'SessionDetailsChanged', data: { seriesId: dialogueId, sessionId: 'webinar', joinUrl: 'https://meet.example.org/room%2042' } }]);
  });

  it('changes details field by field, and null removes an optional one', () => {
    spec([dialogueCreated, webinarScheduled])
      .when({ type: 'ChangeSessionDetails', seriesId: dialogueId, sessionId: 'webinar', title: { en: 'Live webinar' }, capacity: 300, joinUrl: null })
      .then([{ type: 'SessionDetailsChanged', data: { seriesId: dialogueId, sessionId: 'webinar', capacity: 300 } }]);
  });

  it('bumps the session sequence with every change a calendar must show, and not for seats', () => {
    const state = fold(seriesDecider, [
      dialogueCreated,
      webinarScheduled,
      { type: 'SessionDetailsChanged', data: { seriesId: dialogueId, sessionId: 'webinar', capacity: 300 } },
      { type: 'SessionDetailsChanged', data: { seriesId: dialogueId, sessionId: 'webinar', speakers: [{ name: 'Amal Haddad' }] } },
      cancelled,
    ]);
    expect(state.status === 'active' && state.sessions.webinar).toMatchObject({ sequence: 2, status: 'cancelled', capacity: 300 });
    const seatsOnly = fold(seriesDecider, [dialogueCreated, webinarScheduled, { type: 'SessionDetailsChanged', data: { seriesId: dialogueId, sessionId: 'webinar', capacity: 300 } }]);
    expect(seatsOnly.status === 'active' && seatsOnly.sessions.webinar).toMatchObject({ sequence: 0, capacity: 300 });
  });
});

describe('recordings', () => {
  const ids = { seriesId: dialogueId, sessionId: 'webinar' };
  const requested: SeriesEvent = {
    type: 'RecordingUploadRequested',
    data: { ...ids, uploadId: 'u1', asset: 'recording', fileName: 'webinar.mp4', contentType: 'video/mp4', size: 1000, objectKey: 'recordings/vd10/webinar/u1', expiresAt: '2027-05-04T00:00:00.000Z' },
  };
  const sha = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
  const arrived = { type: 'ArchiveRecordingUpload', ...ids, uploadId: 'u1', objectKey: 'recordings/vd10/webinar/u1', size: 1000, contentType: 'video/mp4', checksum: sha, format: 'iso-media' } as const;
  const archived: SeriesEvent = { type: 'RecordingArchived', data: { ...ids, uploadId: 'u1', objectKey: 'recordings/vd10/webinar/u1', size: 1000, contentType: 'video/mp4', checksum: sha } };
  const request = { type: 'RequestRecordingUpload', ...ids, uploadId: 'u2', fileName: 'slides.pdf', contentType: 'application/pdf', size: 2000, objectKey: 'recordings/vd10/webinar/u2/slides.pdf', expiresAt: '2027-05-04T00:00:00.000Z' } as const;

  it('names the asset from the content type, or refuses a type that cannot be one, naming the field', () => {
    const [event] = spec([dialogueCreated, webinarScheduled]).when(request).events();
    expect(event?.data).toMatchObject({ asset: 'slides', contentType: 'application/pdf' });
    const [captions] = spec([dialogueCreated, webinarScheduled]).when({ ...request, contentType: 'text/vtt', fileName: 'en.vtt' }).events();
    expect(captions?.data).toMatchObject({ asset: 'captions' });
    spec([dialogueCreated, webinarScheduled]).when({ ...request, contentType: 'text/html' }).thenThrows(InvalidCommandError, /text\/html is not accepted/, 'contentType');
    spec([dialogueCreated, webinarScheduled]).when({ ...request, contentType: 'video/mp4', asset: 'slides' }).thenThrows(InvalidCommandError, /cannot be the slides/, 'contentType');
  });

  it('refuses a file above the documented maximum of its asset', () => {
    spec([dialogueCreated, webinarScheduled]).when({ ...request, size: 501 * 1024 * 1024 }).thenThrows(InvalidCommandError, /at most 500 MiB/, 'size');
    expect(spec([dialogueCreated, webinarScheduled]).when({ ...request, contentType: 'video/mp4', size: 10 * 1024 ** 3 }).events()).toHaveLength(1);
    spec([dialogueCreated, webinarScheduled]).when({ ...request, contentType: 'video/mp4', size: 10 * 1024 ** 3 + 1 }).thenThrows(InvalidCommandError, /at most 10 GiB/, 'size');
  });

  it('refuses an upload for a cancelled session', () => {
    spec([dialogueCreated, webinarScheduled, { type: 'SessionCancelled', data: { ...ids, reason: 'speaker ill' } }])
      .when(request)
      .thenThrows(InvariantViolation, /cancelled/);
  });

  it('rejects bytes that are not what the content type says, and a checksum that changed', () => {
    spec([dialogueCreated, webinarScheduled, requested])
      .when({ ...arrived, format: 'pdf' })
      .then([{ type: 'RecordingRejected', data: { ...ids, uploadId: 'u1', reason: "the file's bytes are a PDF document, not video/mp4 as announced" } }]);
    expect(spec([dialogueCreated, webinarScheduled, requested]).when({ ...arrived, format: 'markup' }).events()).toMatchObject([
      { type: 'RecordingRejected', data: { reason: "the file's bytes are HTML or XML markup, not video/mp4 as announced" } },
    ]);
    const announced: SeriesEvent = { ...requested, data: { ...requested.data, checksum: sha } } as SeriesEvent;
    const [rejected] = spec([dialogueCreated, webinarScheduled, announced]).when({ ...arrived, checksum: 'A'.repeat(43) + '=' }).events();
    expect(rejected).toMatchObject({ type: 'RecordingRejected', data: { reason: expect.stringMatching(/SHA-256 .* was announced/) } });
    spec([dialogueCreated, webinarScheduled, announced]).when(arrived).then([archived]);
  });

  it('raises the SEQUENCE when a file is archived into a published recording (calendars must show it)', () => {
    const published: SeriesEvent = { type: 'RecordingPublished', data: { ...ids, publishedAt: '2027-05-04T10:00:00.000Z' } };
    const captionsRequested: SeriesEvent = { type: 'RecordingUploadRequested', data: { ...ids, uploadId: 'u3', asset: 'captions', fileName: 'en.vtt', contentType: 'text/vtt', size: 10, objectKey: 'recordings/vd10/webinar/u3/en.vtt', expiresAt: '2027-05-05T00:00:00.000Z' } };
    const captionsArchived: SeriesEvent = { type: 'RecordingArchived', data: { ...ids, uploadId: 'u3', objectKey: 'recordings/vd10/webinar/u3/en.vtt', size: 10, contentType: 'text/vtt', checksum: sha } };
    const before = fold(seriesDecider, [dialogueCreated, webinarScheduled, requested, archived, published, captionsRequested]);
    const after = fold(seriesDecider, [dialogueCreated, webinarScheduled, requested, archived, published, captionsRequested, captionsArchived]);
    expect(before.status === 'active' && before.sessions.webinar!.sequence).toBe(1);
    expect(after.status === 'active' && after.sessions.webinar!.sequence).toBe(2);
  });

  it('withdraws a published recording: the session moves to a higher SEQUENCE and shows no recording', () => {
    const published: SeriesEvent = { type: 'RecordingPublished', data: { ...ids, publishedAt: '2027-05-04T10:00:00.000Z' } };
    const withdrawn: SeriesEvent = { type: 'RecordingWithdrawn', data: { ...ids, reason: 'a speaker withdrew consent' } };
    spec([dialogueCreated, webinarScheduled, requested, archived, published]).when({ type: 'WithdrawRecording', ...ids, reason: 'a speaker withdrew consent' }).then([withdrawn]);
    spec([dialogueCreated, webinarScheduled, requested, archived, published, withdrawn]).when({ type: 'WithdrawRecording', ...ids, reason: 'again' }).thenNothing();
    const state = fold(seriesDecider, [dialogueCreated, webinarScheduled, requested, archived, published, withdrawn]);
    expect(state.status === 'active' && state.sessions.webinar).toMatchObject({ sequence: 2, publication: { status: 'withdrawn' } });
  });

  it('archives what arrived as announced, once', () => {
    spec([dialogueCreated, webinarScheduled, requested]).when(arrived).then([archived]);
    spec([dialogueCreated, webinarScheduled, requested, archived]).when(arrived).thenNothing();
  });

  it('rejects a file larger than announced, saying why', () => {
    spec([dialogueCreated, webinarScheduled, requested])
      .when({ ...arrived, size: 5000 })
      .then([{ type: 'RecordingRejected', data: { ...ids, uploadId: 'u1', reason: 'the file is 5000 bytes, but 1000 were announced' } }]);
  });

  it('refuses to publish before a recording is archived', () => {
    spec([dialogueCreated, webinarScheduled, requested])
      .when({ type: 'PublishRecording', ...ids, now: '2027-05-04T10:00:00.000Z' })
      .thenThrows(InvariantViolation, /no archived recording/);
  });

  it('schedules a publication for later and publishes it when due, not before', () => {
    const scheduled: SeriesEvent = { type: 'RecordingPublicationScheduled', data: { ...ids, publishAt: '2027-05-05T13:00:00.000Z' } };
    spec([dialogueCreated, webinarScheduled, requested, archived])
      .when({ type: 'PublishRecording', ...ids, at: '2027-05-05T09:00', now: '2027-05-04T10:00:00.000Z' })
      .then([scheduled]);
    spec([dialogueCreated, webinarScheduled, requested, archived, scheduled])
      .when({ type: 'PublishDueRecording', ...ids, now: '2027-05-05T12:59:00.000Z' })
      .thenNothing();
    spec([dialogueCreated, webinarScheduled, requested, archived, scheduled])
      .when({ type: 'PublishDueRecording', ...ids, now: '2027-05-05T13:00:30.000Z' })
      .then([{ type: 'RecordingPublished', data: { ...ids, publishedAt: '2027-05-05T13:00:30.000Z' } }]);
  });

  it('expires an upload that never arrived, only after its deadline', () => {
    spec([dialogueCreated, webinarScheduled, requested])
      .when({ type: 'ExpireRecordingUpload', ...ids, uploadId: 'u1', now: '2027-05-03T23:00:00.000Z' })
      .thenNothing();
    spec([dialogueCreated, webinarScheduled, requested])
      .when({ type: 'ExpireRecordingUpload', ...ids, uploadId: 'u1', now: '2027-05-04T00:00:00.000Z' })
      .then([{ type: 'RecordingUploadExpired', data: { ...ids, uploadId: 'u1' } }]);
  });
});

describe('event data', () => {
  it('a series created without a description stores an empty one', () => {
    const { description: _d, ...bare } = createDialogue;
    const [event] = spec().when(bare).events();
    expect(event?.data).toMatchObject({ description: {} });
  });
});

describe("a dialogue's window", () => {
  const webinar = { type: 'ScheduleSession', seriesId: dialogueId, sessionId: 'late', title: { en: 'Late webinar' }, durationMinutes: 60 } as const;

  it('refuses a live session outside the discussion window, in the home zone', () => {
    // The window closes at the end of 14 May in New York: 23:30 that day would end after it.
    spec([dialogueCreated]).when({ ...webinar, start: '2027-05-14T23:30' }).thenThrows(InvariantViolation, /within its window/, 'start');
    spec([dialogueCreated]).when({ ...webinar, start: '2027-04-23T10:00' }).thenThrows(InvariantViolation, /within its window/);
    expect(spec([dialogueCreated]).when({ ...webinar, start: '2027-05-14T22:00' }).events()).toHaveLength(1);
  });

  it('refuses to move a session, or shrink the window, so that a session falls outside', () => {
    spec([dialogueCreated, webinarScheduled])
      .when({ type: 'RescheduleSession', seriesId: dialogueId, sessionId: 'webinar', start: '2027-06-01T10:00' })
      .thenThrows(InvariantViolation, /within its window/);
    spec([dialogueCreated, webinarScheduled])
      .when({ type: 'ChangeSeriesDetails', seriesId: dialogueId, window: { opens: '2027-05-04', closes: '2027-05-14' } })
      .thenThrows(InvariantViolation, /within its window/, 'window');
  });
});

describe('text fields', () => {
  it('are stored as given, markup and all, and refused when blank', () => {
    const title = { en: '  <script>alert("x")</script> & Care  ' };
    const [event] = spec().when({ ...createDialogue, title }).events();
    expect(event?.data).toMatchObject({ title });
    spec().when({ ...createDialogue, title: { en: '   ' } }).thenThrows(InvalidCommandError, /must not be empty/, 'title.en');
  });
});
