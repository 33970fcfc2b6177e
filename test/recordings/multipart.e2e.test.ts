/**
 * A recording above the multipart threshold, against s3rver: the upload request returns one
 * presigned URL per part, the parts are PUT, the API completes the upload with their ETags,
 * and the archiver verifies the assembled file like any other.
 */
import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { MULTIPART_PART_BYTES, MULTIPART_THRESHOLD_BYTES } from '../../events/series/recording-files.js';
import { useTestApi } from '../support/api.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi({ ownS3: true });
let path = '';

beforeAll(async () => {
  const seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  const sessionId = (
    await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Long lecture' }, start: '2027-05-03T10:00', durationMinutes: 180 } })
  ).body.sessionId;
  path = `/admin/series/${seriesId}/sessions/${sessionId}/recording`;
});

it('uploads a large recording in parts, completes it, and archives the whole file', async () => {
  const size = MULTIPART_THRESHOLD_BYTES + 1234;
  const file = Buffer.alloc(size, 3);
  Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypmp42', 'latin1')]).copy(file);
  const checksum = createHash('sha256').update(file).digest('base64');
  const upload = await api.request('POST', `${path}/uploads`, { body: { fileName: 'long lecture.mp4', contentType: 'video/mp4', size, checksum } });
  expect(upload.status, upload.text).toBe(201);
  expect(upload.body.method).toBe('multipart');
  const { multipartId, parts, partSize, completeUrl } = upload.body.multipart;
  expect(partSize).toBe(MULTIPART_PART_BYTES);
  expect(parts.map((p: { size: number }) => p.size)).toEqual([MULTIPART_PART_BYTES, size - MULTIPART_PART_BYTES]);

  const uploaded = [];
  for (const part of parts as { partNumber: number; url: string; size: number }[]) {
    const from = (part.partNumber - 1) * MULTIPART_PART_BYTES;
    const res = await fetch(part.url, { method: 'PUT', body: file.subarray(from, from + part.size) });
    expect(res.status, await res.clone().text()).toBe(200);
    uploaded.push({ partNumber: part.partNumber, etag: res.headers.get('etag')! });
  }
  // A completion that leaves a part out is refused before storage is asked.
  const partial = await api.request('POST', completeUrl, { body: { multipartId, parts: uploaded.slice(0, 1) } });
  expect(partial.status).toBe(422);
  expect(partial.body.detail).toMatch(/has 2 parts/);

  const done = await api.request('POST', completeUrl, { body: { multipartId, parts: uploaded } });
  expect(done.status, done.text).toBe(202);
  expect(await api.archived()).toContainEqual(expect.objectContaining({ outcome: 'archived' }));
  await api.settle();
  const { body } = await api.request('GET', path);
  expect(body.uploads).toMatchObject([{ uploadId: upload.body.uploadId, status: 'archived', size, checksum }]);
  // Completing again: the upload is closed.
  expect((await api.request('POST', completeUrl, { body: { multipartId, parts: uploaded } })).status).toBe(409);
}, 120_000);
