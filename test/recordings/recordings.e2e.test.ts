/**
 * Recordings end to end against s3rver: an organiser announces a file and posts it with the
 * presigned form, S3's notification runs the archiver, publication is scheduled and posted by
 * the publisher on a simulated clock; the feed, the public schedule and archive show it, each
 * registrant gets one "recording available" mail; withdrawn, it is gone from all of them.
 *
 * Each test has tables, a series and a session of its own (the file shares one s3rver, with
 * keys under each series): a publisher or dispatcher tick acts on every series in its tables.
 */
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { beforeEach, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createPublisher } from '../../functions/publisher/publish.js';
import { createArchiver } from '../../functions/archiver/archive.js';
import { useTestApi } from '../support/api.js';
import { recordingMailer, testDispatcher } from '../support/dispatcher.js';
import { careRequest } from '../support/seed-requests.js';
import { simpleParser } from '../mail/mailparser.js';

const api = useTestApi({ ownS3: true, scope: 'test' });
let seriesId = '';
let sessionId = '';
const members = [
  { email: `quito-${crypto.randomUUID().slice(0, 8)}@example.org`, timeZone: 'America/Guayaquil', language: 'es' },
  { email: `delhi-${crypto.randomUUID().slice(0, 8)}@example.org`, timeZone: 'Asia/Kolkata', language: 'en' },
  { email: `paris-${crypto.randomUUID().slice(0, 8)}@example.org`, timeZone: 'Europe/Paris', language: 'fr' },
];
// An MP4 as far as the archiver looks: an ISO base media `ftyp` box, then some bytes.
const video = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1'), Buffer.alloc(2000, 7)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
const publisher = () => createPublisher({ store: api.store, readModels: api.readModels });
const recordingPath = () => `/admin/series/${seriesId}/sessions/${sessionId}/recording`;

async function announce(body: Record<string, unknown>) {
  return api.request('POST', `${recordingPath()}/uploads`, { body: { fileName: 'webinar.mp4', contentType: 'video/mp4', size: video.length, ...body } });
}

/** The browser's form upload: the presigned form's fields as given, then the file, last. */
async function post(upload: { uploadUrl: string; fields: Record<string, string> }, bytes: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), 'file');
  const res = await fetch(upload.uploadUrl, { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(204);
  await api.archived();
  await api.settle();
}

function vevent(ics: string) {
  const component = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').find((v) => String(v.getFirstPropertyValue('uid')).startsWith(sessionId));
  const parsed = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT' && String((c as { uid: string }).uid).startsWith(sessionId)) as { sequence: string; attach?: unknown } | undefined;
  return { component: component!, nodeIcal: parsed! };
}

beforeEach(async () => {
  api.clock.now = new Date('2027-05-01T12:00:00Z');
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionId = (
    await api.request('POST', `/admin/series/${seriesId}/sessions`, {
      body: { title: { en: 'Care economy: lecture 1', es: 'Economía del cuidado: conferencia 1' }, start: '2027-05-03T10:00', durationMinutes: 60, language: 'en' },
    })
  ).body.sessionId;
  const registered = await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members: members.map((m) => ({ ...m, name: 'Member' })) } });
  expect(registered.status).toBe(200);
  await api.settle();
});

describe('a recording from upload to withdrawal', () => {
  it('archives the uploaded file, publishes it when due, shows it everywhere, mails each registrant once', async () => {
    api.clock.now = new Date('2027-05-04T09:00:00Z');
    const upload = await announce({ checksum: sha256(video) });
    expect(upload.status, upload.text).toBe(201);
    expect(upload.body).toMatchObject({ asset: 'recording', method: 'POST', status: 'requested', size: video.length });
    expect(upload.body.fields).toMatchObject({ 'Content-Type': 'video/mp4', 'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/) });
    await post(upload.body, video);

    const archived = await api.request('GET', recordingPath());
    expect(archived.body.uploads).toMatchObject([{ uploadId: upload.body.uploadId, status: 'archived', checksum: sha256(video) }]);
    expect(archived.body.publication).toEqual({ status: 'unpublished' });
    // Archived but not posted: the public link does not serve it; an organiser's token previews it.
    const link = `/series/${seriesId}/sessions/${sessionId}/recording/recording`;
    expect((await api.request('GET', link, { token: null })).status).toBe(404);
    const preview = await fetch(`${api.url}${link}`, { redirect: 'manual', headers: { authorization: `Bearer ${api.organiserToken}` } });
    expect(preview.status).toBe(302);

    // Posted tomorrow at 09:00 in the series' home zone.
    const scheduled = await api.request('POST', `${recordingPath()}/publish`, { body: { at: '2027-05-05T09:00' } });
    expect(scheduled.status, scheduled.text).toBe(200);
    expect(scheduled.body.publication).toMatchObject({ status: 'scheduled' });
    await api.settle();
    const publishAt = Date.parse(scheduled.body.publication.publishAt);
    expect(await publisher().tick({ now: new Date(publishAt - 60_000) })).toMatchObject({ published: 0 });
    expect((await api.request('GET', link, { token: null })).status).toBe(404);
    expect(await publisher().tick({ now: new Date(publishAt + 30_000) })).toMatchObject({ published: 1 });
    expect(await publisher().tick({ now: new Date(publishAt + 90_000) })).toMatchObject({ published: 0 });
    await api.settle();

    // The feed: ATTACH with the stable link, a DESCRIPTION line, a higher SEQUENCE; both parsers agree.
    const feed = await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null });
    const event = vevent(feed.text);
    expect(event.component.getFirstPropertyValue('sequence')).toBe(1);
    expect(Number(event.nodeIcal.sequence)).toBe(1);
    const attach = event.component.getFirstProperty('attach')!;
    expect(String(attach.getFirstValue())).toBe(`${api.url}${link}`);
    expect(attach.getParameter('fmttype')).toBe('video/mp4');
    expect(String(event.component.getFirstPropertyValue('description'))).toContain(`${api.url}${link}`);
    expect(JSON.stringify(event.nodeIcal.attach)).toContain(link);
    expect(feed.text).not.toContain('recordings/');

    // The public schedule and archive list it; the link redirects to the very bytes uploaded.
    const schedule = await api.request('GET', `/series/${seriesId}`, { token: null });
    expect(schedule.body.sessions[0].recording.files).toEqual([{ asset: 'recording', fileName: 'webinar.mp4', contentType: 'video/mp4', size: video.length, url: `${api.url}${link}` }]);
    const archive = await api.request('GET', `/series/${seriesId}/recordings`, { token: null });
    expect(archive.body.recordings.map((r: { sessionId: string }) => r.sessionId)).toEqual([sessionId]);
    expect(archive.text).not.toContain('recordings/');
    // A browser gets the same archive as a page, in its language, and the series page links the files too.
    const archivePage = await api.request('GET', `/series/${seriesId}/recordings`, { token: null, headers: { accept: 'text/html', 'accept-language': 'es' } });
    expect(archivePage.headers.get('content-type')).toMatch(/^text\/html/);
    expect(archivePage.text).toContain(`<a href="${api.url}${link}">Grabación en vídeo</a>`);
    expect(archivePage.text).toMatch(/\(webinar\.mp4, [\d,.]+\s?kB\)/);
    const seriesPage = await api.request('GET', `/series/${seriesId}?lang=fr`, { token: null, headers: { accept: 'text/html' } });
    expect(seriesPage.text).toContain(`<a href="${api.url}${link}">Enregistrement vidéo</a>`);
    const redirect = await fetch(`${api.url}${link}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/X-Amz-Expires=3600/);
    const download = await fetch(redirect.headers.get('location')!);
    expect(Buffer.from(await download.arrayBuffer()).equals(video)).toBe(true);
    expect(download.headers.get('content-type')).toBe('video/mp4');

    // The meeting's participants report (Zoom's CSV, New York times): the first member came.
    const report0 = await api.request('POST', `/admin/series/${seriesId}/sessions/${sessionId}/attendance`, {
      raw: `Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n"Member","${members[0]!.email}","05/03/2027 09:58:00 AM","05/03/2027 11:00:00 AM","62","No"\r\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(report0.body.matched, report0.text).toBe(1);
    await api.settle();

    // One mail per registrant, in their language, with the stable link, worded by who came; a second tick sends none.
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    const report = await dispatcher.tick({ now: new Date(publishAt + 120_000) });
    expect(report.recordings).toBe(3);
    // (The welcome mail of members an organiser registered may go in the same tick: not counted.)
    const mails = (await Promise.all(mailer.sent.map((raw) => simpleParser(raw)))).filter((m) => /recording|grabación|enregistrement/i.test(m.subject ?? ''));
    for (const member of members) expect(mails.filter((m) => JSON.stringify(m.to).includes(member.email))).toHaveLength(1);
    const spanish = mails.find((m) => JSON.stringify(m.to).includes(members[0]!.email))!;
    expect(spanish.subject).toBe('Gracias por participar: la grabación de Economía del cuidado: conferencia 1');
    expect(spanish.text).toContain('Gracias por participar en «Economía del cuidado: conferencia 1»');
    expect(spanish.text).toContain(`${api.url}${link}`);
    for (const member of members.slice(1)) {
      const missed = mails.find((m) => JSON.stringify(m.to).includes(member.email))!;
      expect(missed.subject, member.language).toMatch(/^(You missed|Se perdió|Vous avez manqué|فاتك حضور) /);
      expect(missed.text).toContain(`${api.url}${link}`);
    }
    const sentBefore = mailer.sent.length;
    expect((await dispatcher.tick({ now: new Date(publishAt + 180_000) })).recordings).toBe(0);
    expect(mailer.sent).toHaveLength(sentBefore);

    // Withdrawn: gone from the feed, the schedule and the archive; its link answers 410.
    const withdrawn = await api.request('POST', `${recordingPath()}/withdraw`, { body: { reason: 'A speaker withdrew consent.' } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    await api.settle();
    const after = await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null });
    expect(vevent(after.text).component.getFirstPropertyValue('sequence')).toBe(2);
    expect(vevent(after.text).component.getFirstProperty('attach')).toBeNull();
    expect(after.text).not.toContain(link);
    expect((await api.request('GET', `/series/${seriesId}`, { token: null })).body.sessions[0].recording).toBeUndefined();
    expect((await api.request('GET', `/series/${seriesId}/recordings`, { token: null })).body.recordings).toEqual([]);
    const gone = await api.request('GET', link, { token: null });
    expect(gone.status).toBe(410);
    expect(gone.body.detail).toMatch(/taken down/);
    expect((await dispatcher.tick({ now: new Date(publishAt + 240_000) })).recordings).toBe(0);
  });
});

describe('bad uploads are refused with a reason, and nothing is published', () => {
  const objects = async () =>
    ((await api.s3.client.send(new ListObjectsV2Command({ Bucket: api.s3.bucket, Prefix: `recordings/${seriesId}/` }))).Contents ?? []).map((o) => o.Key);

  it('refuses a content type that no asset has, and a size above the maximum, writing nothing', async () => {
    const before = await api.eventCount();
    const html = await announce({ fileName: 'page.html', contentType: 'text/html' });
    expect(html.status).toBe(422);
    expect(html.body.detail).toMatch(/contentType: text\/html is not accepted/);
    const huge = await announce({ size: 11 * 1024 ** 3 });
    expect(huge.status).toBe(422);
    expect(huge.body.detail).toMatch(/size: a recording file may be at most 10 GiB/);
    const injected = await announce({ contentType: 'video/mp4\r\nX-Amz-Acl: public-read' });
    expect(injected.status).toBe(422);
    expect(injected.body.errors).toMatchObject([{ field: 'contentType' }]);
    const crlfName = await announce({ fileName: 'a.mp4\r\nContent-Type: text/html' });
    expect(crlfName.status).toBe(422);
    expect(crlfName.body.errors).toMatchObject([{ field: 'fileName' }]);
    const unknownField = await announce({ path: '../../x' });
    expect(unknownField.status).toBe(422);
    expect(await api.eventCount()).toBe(before);
  });

  // S3 refuses the first and the last at upload (the form's policy fixes the size and the checksum);
  // s3rver ignores the policy (test/recordings/upload-conditions.e2e.test.ts), and the archiver still
  // catches all three: defence in depth, and what stands between a file and its members locally.
  it('rejects a file larger than announced, bytes that are not what was announced, a changed checksum, and deletes them', async () => {
    const bigger = await announce({ size: 100 });
    await post(bigger.body, video);
    const html = await announce({ fileName: 'lecture.mp4', size: 40 });
    await post(html.body, Buffer.from('<html><script>alert(1)</script></html>'.padEnd(40, ' ')));
    const changed = await announce({ checksum: sha256(Buffer.alloc(video.length)) });
    await post(changed.body, video);

    const { body } = await api.request('GET', recordingPath());
    const fate = (id: string) => body.uploads.find((u: { uploadId: string }) => u.uploadId === id);
    expect(fate(bigger.body.uploadId)).toMatchObject({ status: 'rejected', reason: `the file is ${video.length} bytes, but 100 were announced` });
    expect(fate(html.body.uploadId)).toMatchObject({ status: 'rejected', reason: "the file's bytes are HTML or XML markup, not video/mp4 as announced" });
    expect(fate(changed.body.uploadId)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/SHA-256 .* was announced/) });
    const kept = await objects();
    for (const upload of [bigger, html, changed]) expect(kept.some((k) => k?.includes(upload.body.uploadId))).toBe(false);
  });

  it('expires an upload whose file never arrives', async () => {
    const never = await announce({ fileName: 'never.mp4' });
    await api.settle();
    const report = await publisher().tick({ now: new Date(Date.parse(never.body.expiresAt) + 1000) });
    expect(report.expired).toBe(1);
    const { body } = await api.request('GET', recordingPath());
    expect(body.uploads.find((u: { uploadId: string }) => u.uploadId === never.body.uploadId)).toMatchObject({ status: 'expired' });
  });

  it('refuses to publish a session with no archived recording, naming why', async () => {
    const other = (
      await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Care economy: lecture 2' }, start: '2027-05-10T10:00', durationMinutes: 60 } })
    ).body.sessionId;
    const slides = await api.request('POST', `/admin/series/${seriesId}/sessions/${other}/recording/uploads`, {
      body: { fileName: 'slides.pdf', contentType: 'application/pdf', size: 9 },
    });
    await post(slides.body, Buffer.from('%PDF-1.7\n'));
    const before = await api.eventCount();
    const refused = await api.request('POST', `/admin/series/${seriesId}/sessions/${other}/recording/publish`, { body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: expect.stringContaining('recording-not-archived'), detail: expect.stringMatching(/no archived recording yet/) });
    expect(await api.eventCount()).toBe(before);
    expect((await api.request('GET', `/series/${seriesId}/sessions/${other}/recording/slides`, { token: null })).status).toBe(404);
  });

  it('stores a file under a safe key whatever its name says', async () => {
    const tricky = await announce({ fileName: '../../../etc/passwd\u202e.mp4' });
    expect(tricky.status, tricky.text).toBe(201);
    expect(tricky.body.fields.key).toMatch(new RegExp(`^recordings/${seriesId}/${sessionId}/${tricky.body.uploadId}/passwd-?\\.mp4$`));
  });
});

describe('retries and twins', () => {
  it('a redelivered notification, handled by two archivers at once, archives the file once and keeps it', async () => {
    const upload = await announce({ fileName: 'twice.mp4' });
    await post(upload.body, video);
    const notification = api.s3.events.find((e) => e.Records.some((r) => r.s3.object.key.includes(upload.body.uploadId)))!;
    const twins = [createArchiver({ store: api.store, recordings: api.s3.recordings }), createArchiver({ store: api.store, recordings: api.s3.recordings })];
    const reports = (await Promise.all(twins.map((a) => a.handle(notification)))).flat();
    expect(reports.map((r) => r.outcome)).toEqual(['already-archived', 'already-archived']);
    const history = await api.request('GET', `/admin/series/${seriesId}/history`);
    const archivedEvents = history.body.events.filter((e: { type: string; data: { uploadId?: string } }) => e.type === 'RecordingArchived' && e.data.uploadId === upload.body.uploadId);
    expect(archivedEvents).toHaveLength(1);
    const stored = await api.s3.client.send(new ListObjectsV2Command({ Bucket: api.s3.bucket, Prefix: `recordings/${seriesId}/${sessionId}/${upload.body.uploadId}/` }));
    expect(stored.KeyCount).toBe(1);
  });

  it('two publishers on the same tick post a due recording once', async () => {
    const session = (
      await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Care economy: lecture 3' }, start: '2027-05-17T10:00', durationMinutes: 60 } })
    ).body.sessionId;
    const base = `/admin/series/${seriesId}/sessions/${session}/recording`;
    const upload = await api.request('POST', `${base}/uploads`, { body: { fileName: 'l3.mp4', contentType: 'video/mp4', size: video.length } });
    await post(upload.body, video);
    api.clock.now = new Date('2027-05-18T09:00:00Z');
    const scheduled = await api.request('POST', `${base}/publish`, { body: { at: '2027-05-18T12:00:00Z' } });
    expect(scheduled.body.publication).toMatchObject({ status: 'scheduled', publishAt: '2027-05-18T12:00:00.000Z' });
    await api.settle();
    const due = new Date('2027-05-18T12:00:10Z');
    const reports = await Promise.all([publisher().tick({ now: due }), publisher().tick({ now: due })]);
    expect(reports.reduce((n, r) => n + r.published, 0)).toBe(1);
    expect(reports.reduce((n, r) => n + r.failed, 0)).toBe(0);
    const history = await api.request('GET', `/admin/series/${seriesId}/history`);
    expect(history.body.events.filter((e: { type: string; data: { sessionId?: string } }) => e.type === 'RecordingPublished' && e.data.sessionId === session)).toHaveLength(1);
  });
});
