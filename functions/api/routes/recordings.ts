/**
 * Recordings over HTTP. Organisers: announce an upload and get what storage takes it through (a
 * presigned POST form fixing its size, type, key and checksum, or above the multipart threshold one
 * presigned PUT per part, each signing its size), complete a multipart upload, see uploads and their
 * fate, publish now or at a time, withdraw. Anyone: the series' archive of published recordings,
 * and each file's stable link, answered with a redirect to a presigned GET that lives
 * `DOWNLOAD_LINK_SECONDS`: 404 before publication (an organiser's token previews), 410 once
 * withdrawn. The bucket itself is private; nothing here ever names a storage key.
 */
import { recordingsPage } from '../recordings-page-view.js';
import { PAGE_VARY, wantsPage } from '../negotiation.js';
import { Hono, type Context } from 'hono';
import type { ConveneEvent } from '../../../events/registry.js';
import { archivedFiles, type RecordingFile, type SeriesSchedule } from '../../../events/projections/schedule.js';
import { MAX_BYTES, MULTIPART_PART_BYTES, MULTIPART_THRESHOLD_BYTES, partCount, partSizes } from '../../../events/series/recording-files.js';
import { RecordingAsset } from '../../../events/series/events.js';
import type { SessionState } from '../../../events/series/state.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { seriesEvents } from '../../adapters/event-store/category-stores.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import type { RecordingStore } from '../../adapters/recordings/recording-store.js';
import { getSchedule } from '../../read-models/queries.js';
import { publicFiles, recordingFileUrl, recordingsArchiveUrl } from '../../recordings/links.js';
import { recordingObjectKey } from '../../recordings/object-keys.js';
import { organiserOf, type TokenVerifier } from '../auth.js';
import { ApiError, NotFoundProblem, UnprocessableError } from '../problems.js';
import { ifMatchVersion, isNotModified, pathId, readBody } from '../request.js';
import { CompleteUploadBody, PublishRecordingBody, RecordingUploadBody, WithdrawRecordingBody } from '../schemas.js';
import { activeSeries, respondWithVersion, seriesCommandRunner, type OrganiserEnv, type SeriesResult } from '../series-command.js';
import { readSeries } from './series-stream.js';
import { publicSessionFacts } from './public-series.js';
import { fold } from '../../../events/shared/decider.js';
import { seriesDecider, type ActiveSeries } from '../../../events/series/index.js';
import { mount } from '../mount-route.js';

/** A single upload's form lives an hour; a multipart upload's part links twelve (10 GiB on a slow line). */
export const UPLOAD_LINK_SECONDS = 3600;
export const MULTIPART_LINK_SECONDS = 12 * 3600;
/** After its links die, an upload still waits this long for S3's notification before it expires. */
export const ARRIVAL_GRACE_SECONDS = 15 * 60;
/** A download link (presigned GET) lives an hour: long enough to watch a webinar through. */
export const DOWNLOAD_LINK_SECONDS = 3600;

export interface RecordingRouteDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  readonly recordings: RecordingStore;
  readonly baseUrl: string;
  readonly verifyOrganiserToken: TokenVerifier;
  readonly newId?: () => string;
  /** The API's clock (tests pass their own). */
  readonly now?: () => Date;
}


export function recordingRoutes(deps: RecordingRouteDeps) {
  const app = new Hono<OrganiserEnv>();
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const now = deps.now ?? (() => new Date());
  const execute = seriesCommandRunner(deps.store, now);
  const seriesStore = seriesEvents(deps.store);
  const ids = (c: Context) => ({ seriesId: pathId(c.req.param('seriesId')!, 'series'), sessionId: pathId(c.req.param('sessionId')!, 'session') });
  const sessionOf = (series: ActiveSeries, sessionId: string) => {
    const session = series.sessions[sessionId];
    if (!session) throw new NotFoundProblem(`There is no session ${sessionId} in series ${series.seriesId}.`);
    return session;
  };
  /** The series stream, and one session of it as the decider sees it (uploads included). */
  const loadSession = async (seriesId: string, sessionId: string) => {
    const events = await readSeries(seriesStore, seriesId);
    return { version: events.at(-1)!.metadata.version, session: sessionOf(fold(seriesDecider, events) as ActiveSeries, sessionId) };
  };
  const recordingView = (result: SeriesResult, seriesId: string, sessionId: string) => ({
    seriesId,
    version: result.version,
    ...organiserRecordingView(deps.baseUrl, seriesId, sessionOf(activeSeries(result, seriesId), sessionId)),
  });

  mount(app, 'announceUpload', async (c) => {
    const { seriesId, sessionId } = ids(c);
    const body = await readBody(c, RecordingUploadBody);
    const uploadId = newId();
    const parts = partCount(body.size);
    const linkSeconds = parts === 1 ? UPLOAD_LINK_SECONDS : MULTIPART_LINK_SECONDS;
    const expiresAt = new Date(now().getTime() + (linkSeconds + ARRIVAL_GRACE_SECONDS) * 1000).toISOString();
    const result = await execute(c, { seriesId, commands: [{
      type: 'RequestRecordingUpload',
      seriesId,
      sessionId,
      uploadId,
      fileName: body.fileName,
      contentType: body.contentType,
      size: body.size,
      objectKey: recordingObjectKey({ seriesId, sessionId, uploadId }, body.fileName),
      expiresAt,
      ...(body.checksum ? { checksum: body.checksum } : {}),
      ...(body.asset ? { asset: body.asset } : {}),
    }], body, expectedVersion: ifMatchVersion(c) });
    // On an idempotent replay: the upload the first request announced, with fresh links.
    const requested = result.events.find((e) => e.type === 'RecordingUploadRequested');
    if (requested?.type !== 'RecordingUploadRequested') throw new Error('an announced upload is missing from its result');
    const upload = requested.data;
    const linksExpireAt = new Date(Date.parse(upload.expiresAt) - ARRIVAL_GRACE_SECONDS * 1000);
    const seconds = Math.max(60, Math.floor((linksExpireAt.getTime() - now().getTime()) / 1000));
    const common = {
      seriesId,
      sessionId,
      version: result.version,
      uploadId: upload.uploadId,
      asset: upload.asset,
      fileName: upload.fileName,
      contentType: upload.contentType,
      size: upload.size,
      status: 'requested',
      linksExpireAt: linksExpireAt.toISOString(),
      expiresAt: upload.expiresAt,
      maxBytes: MAX_BYTES[upload.asset],
    };
    c.header('Location', `/admin/series/${seriesId}/sessions/${sessionId}/recording`);
    const sizes = partSizes(upload.size);
    if (sizes.length === 1) {
      // Storage refuses another size, type, key or checksum at upload time (the form's signed policy).
      const form = await deps.recordings.presignPost({
        key: upload.objectKey,
        contentType: upload.contentType,
        size: upload.size,
        ...(upload.checksum ? { checksum: upload.checksum } : {}),
        expiresInSeconds: seconds,
      });
      return respondWithVersion(c, result, 201, { ...common, method: 'POST', uploadUrl: form.url, fields: form.fields });
    }
    // Each part URL signs its size; the type is fixed when the multipart upload starts.
    const multipart = await deps.recordings.presignMultipart({ key: upload.objectKey, contentType: upload.contentType, partSizes: sizes, expiresInSeconds: seconds });
    return respondWithVersion(c, result, 201, {
      ...common,
      method: 'multipart',
      multipart: {
        multipartId: multipart.multipartId,
        partSize: MULTIPART_PART_BYTES,
        parts: multipart.partUrls.map((url, i) => ({ partNumber: i + 1, url, size: sizes[i]! })),
        completeUrl: `/admin/series/${seriesId}/sessions/${sessionId}/recording/uploads/${upload.uploadId}/complete`,
      },
    });
  });

  mount(app, 'completeUpload', async (c) => {
    const { seriesId, sessionId } = ids(c);
    const uploadId = pathId(c.req.param('uploadId'), 'upload');
    const body = await readBody(c, CompleteUploadBody);
    const { session } = await loadSession(seriesId, sessionId);
    const upload = session.uploads[uploadId];
    if (!upload) throw new NotFoundProblem(`There is no upload ${uploadId} for session ${sessionId}.`);
    if (upload.status !== 'requested') {
      throw new ApiError(409, 'upload-not-open', 'Upload closed', `Upload ${uploadId} is ${upload.status}${upload.reason ? `: ${upload.reason}` : ''}; announce a new one.`);
    }
    if (upload.size < MULTIPART_THRESHOLD_BYTES) {
      throw new UnprocessableError('not-multipart', `Upload ${uploadId} is a single upload (${upload.size} bytes, below ${MULTIPART_THRESHOLD_BYTES}): there is nothing to complete.`);
    }
    const expected = partCount(upload.size);
    const numbers = [...new Set(body.parts.map((p) => p.partNumber))].sort((a, b) => a - b);
    if (numbers.length !== expected || numbers.some((n, i) => n !== i + 1)) {
      throw new UnprocessableError('parts-incomplete', `parts: upload ${uploadId} has ${expected} parts, numbered 1 to ${expected}, each once.`);
    }
    try {
      await deps.recordings.completeMultipart({ key: upload.objectKey, multipartId: body.multipartId, parts: [...body.parts].sort((a, b) => a.partNumber - b.partNumber) });
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (['InvalidPart', 'InvalidPartOrder', 'NoSuchUpload', 'EntityTooSmall'].includes(name)) {
        throw new UnprocessableError('multipart-refused', `Storage refused to complete the upload (${name}): check multipartId, every part's ETag, and that each part but the last is ${MULTIPART_PART_BYTES} bytes.`);
      }
      throw error;
    }
    return c.json({ seriesId, sessionId, uploadId, status: 'uploaded', detail: 'The file is being verified; its status turns archived or rejected.' }, 202);
  });

  mount(app, 'sessionRecording', async (c) => {
    const { seriesId, sessionId } = ids(c);
    const { version, session } = await loadSession(seriesId, sessionId);
    return c.json({ seriesId, version, ...organiserRecordingView(deps.baseUrl, seriesId, session) });
  });

  mount(app, 'publishRecording', async (c) => {
    const { seriesId, sessionId } = ids(c);
    const body = await readBody(c, PublishRecordingBody);
    const result = await execute(c, { seriesId, commands: [{ type: 'PublishRecording', seriesId, sessionId, now: now().toISOString(), ...(body.at ? { at: body.at } : {}) }], body, expectedVersion: ifMatchVersion(c) });
    return respondWithVersion(c, result, 200, recordingView(result, seriesId, sessionId));
  });

  mount(app, 'withdrawRecording', async (c) => {
    const { seriesId, sessionId } = ids(c);
    const body = await readBody(c, WithdrawRecordingBody);
    const result = await execute(c, { seriesId, commands: [{ type: 'WithdrawRecording', seriesId, sessionId, reason: body.reason }], body, expectedVersion: ifMatchVersion(c) });
    return respondWithVersion(c, result, 200, recordingView(result, seriesId, sessionId));
  });

  // Public: the archive of a series, newest session first.
  mount(app, 'publicRecordings', async (c) => {
    const schedule = await loadSchedule(deps.readModels, c.req.param('seriesId'));
    if (wantsPage(c)) return recordingsPage(c, schedule, deps.baseUrl);
    c.header('Vary', PAGE_VARY);
    const tag = `"r${schedule.version}"`;
    c.header('ETag', tag);
    c.header('Cache-Control', 'public, max-age=60');
    if (isNotModified(c, tag)) return c.body(null, 304);
    return c.json(publicArchive(deps.baseUrl, schedule));
  });

  // Public: a file's stable link. Organisers (with a token) may preview what is archived but not published.
  mount(app, 'recordingFile', async (c) => {
    const { seriesId, sessionId } = ids(c);
    const asset = RecordingAsset.safeParse(c.req.param('asset'));
    if (!asset.success) throw new NotFoundProblem(`There is no ${c.req.param('asset')} file: a session has a recording, captions, a transcript or slides.`);
    let file: RecordingFile | undefined;
    if (c.req.header('authorization') !== undefined) {
      await organiserOf(c.req.header('authorization'), deps.verifyOrganiserToken);
      const { session } = await loadSession(seriesId, sessionId);
      file = archivedFiles(session.uploads).find((f) => f.asset === asset.data);
    } else {
      const schedule = await loadSchedule(deps.readModels, seriesId);
      const session = schedule.sessions.find((s) => s.sessionId === sessionId);
      if (!session) throw new NotFoundProblem(`There is no session ${sessionId} in series ${seriesId}.`);
      if (session.publication.status === 'withdrawn') {
        throw new ApiError(410, 'recording-withdrawn', 'Withdrawn', `The recording of session ${sessionId} was taken down by the organiser.`);
      }
      file = session.recording?.files.find((f) => f.asset === asset.data);
    }
    if (!file) throw new NotFoundProblem(`Session ${sessionId} has no published ${asset.data}.`);
    const url = await deps.recordings.presignGet({ key: file.objectKey, ...(file.versionId ? { versionId: file.versionId } : {}), fileName: file.fileName, contentType: file.contentType, expiresInSeconds: DOWNLOAD_LINK_SECONDS });
    c.header('Cache-Control', 'private, no-store');
    return c.redirect(url, 302);
  });

  return app;
}

async function loadSchedule(readModels: ReadModelStore, seriesIdParam: string): Promise<SeriesSchedule> {
  const seriesId = pathId(seriesIdParam, 'series');
  const stored = await getSchedule(readModels, seriesId);
  if (!stored) throw new NotFoundProblem(`There is no series ${seriesId}.`);
  return stored.doc;
}

export function publicArchive(baseUrl: string, schedule: SeriesSchedule) {
  const recordings = schedule.sessions
    .filter((s) => s.recording !== undefined)
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt) || a.sessionId.localeCompare(b.sessionId))
    .map((s) => ({
      sessionId: s.sessionId,
      ...publicSessionFacts(s),
      publishedAt: s.recording!.publishedAt,
      files: publicFiles(baseUrl, schedule.seriesId, s.sessionId, s.recording!),
    }));
  return { seriesId: schedule.seriesId, title: schedule.title, url: recordingsArchiveUrl(baseUrl, schedule.seriesId), recordings };
}

function organiserRecordingView(baseUrl: string, seriesId: string, session: SessionState) {
  const { publication } = session;
  return {
    sessionId: session.sessionId,
    sequence: session.sequence,
    publication,
    files: archivedFiles(session.uploads).map(({ asset, uploadId, fileName, contentType, size }) => ({
      asset,
      uploadId,
      fileName,
      contentType,
      size,
      url: recordingFileUrl(baseUrl, seriesId, session.sessionId, asset),
    })),
    uploads: Object.values(session.uploads).map(({ objectKey: _k, versionId: _v, ...upload }) => upload),
  };
}
