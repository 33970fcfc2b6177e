/**
 * Where an upload is stored: `recordings/<seriesId>/<sessionId>/<uploadId>/<file name>`. The
 * ids say which upload an S3 notification is about; the file name is reduced to safe
 * characters (no path, no dot files), while the name the organiser gave is kept in the event
 * and given back as the download's file name.
 */
export const RECORDINGS_PREFIX = 'recordings/';

export interface UploadIds {
  readonly seriesId: string;
  readonly sessionId: string;
  readonly uploadId: string;
}

export function recordingObjectKey(ids: UploadIds, fileName: string): string {
  return `${RECORDINGS_PREFIX}${ids.seriesId}/${ids.sessionId}/${ids.uploadId}/${safeFileName(fileName)}`;
}

/** `../../etc/passwd` -> `etc-passwd`; `Grabación 3 de mayo.mp4` -> `Grabacion-3-de-mayo.mp4`. */
export function safeFileName(fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? '';
  const ascii = base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const safe = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .replace(/-+/g, '-')
    .slice(-120);
  return safe.length > 0 ? safe : 'file';
}

const ID = '[A-Za-z0-9][A-Za-z0-9_-]{0,63}';
const KEY = new RegExp(`^${RECORDINGS_PREFIX}(${ID})/(${ID})/(${ID})/[A-Za-z0-9._-]+$`);

/** The upload a stored key belongs to, or undefined for a key this app did not hand out. */
export function uploadOfKey(key: string): UploadIds | undefined {
  const match = KEY.exec(key);
  return match ? { seriesId: match[1]!, sessionId: match[2]!, uploadId: match[3]! } : undefined;
}

/** S3 notifications carry keys URL-encoded, spaces as `+`. */
export const decodeNotificationKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));
