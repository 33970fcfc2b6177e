/**
 * The public, stable links of recordings. They never expire and never expose a storage key:
 * the API answers them with a redirect to a short-lived presigned GET while the recording is
 * published, 404 before, 410 once withdrawn. Feeds, mail and the public archive all use these.
 */
import type { PublishedRecording } from '../../events/projections/schedule.js';
import type { RecordingAsset } from '../../events/series/events.js';

const segment = (id: string) => encodeURIComponent(id);

/** `<base>/series/<seriesId>/sessions/<sessionId>/recording/<asset>`. */
export function recordingFileUrl(baseUrl: string, seriesId: string, sessionId: string, asset: RecordingAsset): string {
  return `${baseUrl.replace(/\/$/, '')}/series/${segment(seriesId)}/sessions/${segment(sessionId)}/recording/${asset}`;
}

/** `<base>/series/<seriesId>/recordings`: the public archive of a series, newest first. */
export function recordingsArchiveUrl(baseUrl: string, seriesId: string): string {
  return `${baseUrl.replace(/\/$/, '')}/series/${segment(seriesId)}/recordings`;
}

/** What the public sees of a file: its stable link, never its storage key. */
export function publicFiles(baseUrl: string, seriesId: string, sessionId: string, recording: PublishedRecording) {
  return recording.files.map(({ asset, fileName, contentType, size }) => ({ asset, fileName, contentType, size, url: recordingFileUrl(baseUrl, seriesId, sessionId, asset) }));
}
