/**
 * Uploads are refused by storage before anything is stored (issue 15, item 9). A single upload is
 * a presigned POST whose policy fixes the announced size (`content-length-range`), content type,
 * key and checksum exactly; every part of a multipart upload is a presigned PUT that signs its
 * Content-Length, so S3 refuses a part of another size (SignatureDoesNotMatch).
 *
 * s3rver 3.7.1 enforces none of this: it verifies no SigV4 signature (lib/middleware/
 * authentication.js: "Signature version 4 calculation is unimplemeneted") and skips a form's
 * `policy` field (lib/controllers/object.js: "unimplemented"). So what S3 checks is tested here in
 * what the API hands out, recomputed independently (./support/s3-signatures.ts): the decoded policy
 * and its signature, each part URL's signature for its own size and another. End to end on s3rver:
 * the form upload is stored and archived; what s3rver lets through (another size, another type, a
 * part of another size) is recorded below as s3rver's limit, and the archiver still rejects and
 * deletes such a file (defence in depth).
 */
import { createHash } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { MULTIPART_PART_BYTES, MULTIPART_THRESHOLD_BYTES } from '../../events/series/recording-files.js';
import { RecordingUploadView } from '../../functions/api/schemas.js';
import { recordingObjectKey } from '../../functions/recordings/object-keys.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { useTestApi } from '../support/api.js';
import { careRequest } from '../support/seed-requests.js';
import { decodePolicy, postPolicySignature, presignedUrlSignature } from '../support/s3-signatures.js';

const api = useTestApi({ ownS3: true });
const secret = LOCAL_CREDENTIALS.secretAccessKey;
let seriesId = '';
let sessionId = '';
const path = () => `/admin/series/${seriesId}/sessions/${sessionId}/recording`;
// An MP4 as far as the archiver looks: an ISO base media `ftyp` box, then some bytes.
const video = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1'), Buffer.alloc(3000, 5)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionId = (
    await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Care economy: lecture 1' }, start: '2027-05-03T10:00', durationMinutes: 60 } })
  ).body.sessionId;
});

/** Announces an upload; its answer must be what the OpenAPI document says (RecordingUploadView). */
async function announce(body: Record<string, unknown>, method: 'POST' | 'multipart' = 'POST') {
  const res = await api.request('POST', `${path()}/uploads`, { body: { fileName: 'webinar.mp4', contentType: 'video/mp4', size: video.length, ...body } });
  expect(res.status, res.text).toBe(201);
  expect(res.body.method).toBe(method);
  return RecordingUploadView.parse(res.body);
}

/** A single upload's form. */
async function announceSingle(body: Record<string, unknown>) {
  const view = await announce(body, 'POST');
  if (view.method !== 'POST') throw new Error('unreachable');
  return view;
}

/** A browser's form upload: every field as given, then the file, last. */
async function postForm(url: string, fields: Record<string, string>, file: Buffer, type = 'video/mp4') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file], { type }), 'webinar.mp4');
  return fetch(url, { method: 'POST', body: form });
}

const stored = async (key: string) =>
  api.s3.client.send(new HeadObjectCommand({ Bucket: api.s3.bucket, Key: key })).then(
    (head) => head,
    (error: { name?: string }) => (error.name === 'NotFound' ? undefined : Promise.reject(error)),
  );

describe('a single upload is a presigned POST whose policy S3 enforces', () => {
  it('fixes the size, type, key and checksum exactly, expires with the links, and is signed', async () => {
    const checksum = sha256(video);
    const view = await announceSingle({ checksum });
    const key = recordingObjectKey({ seriesId, sessionId, uploadId: view.uploadId }, 'webinar.mp4');
    expect(view.fields).toMatchObject({ key, 'Content-Type': 'video/mp4', 'x-amz-checksum-sha256': checksum });

    const policy = decodePolicy(view.fields);
    // Exactly these conditions: nothing a client may choose (no starts-with, no range wider than the size).
    expect(policy.conditions).toHaveLength(8);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', video.length, video.length],
        { 'Content-Type': 'video/mp4' },
        { 'x-amz-checksum-sha256': checksum },
        { key },
        { bucket: api.s3.bucket },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': view.fields['X-Amz-Credential'] },
        { 'X-Amz-Date': view.fields['X-Amz-Date'] },
      ]),
    );
    // S3 refuses a form with a field no condition names: every field the API hands out has its exact one.
    for (const [name, value] of Object.entries(view.fields)) {
      if (name === 'Policy' || name === 'X-Amz-Signature') continue;
      expect(policy.conditions, name).toContainEqual({ [name]: value });
    }
    // The policy dies with the links (to the second).
    expect(Math.abs(Date.parse(policy.expiration) - Date.parse(view.linksExpireAt))).toBeLessThan(2000);
    // Signed with the API's credentials: a policy with another size or type has another signature.
    expect(view.fields['X-Amz-Signature']).toBe(postPolicySignature(view.fields, secret));
    const widened = Buffer.from(JSON.stringify({ ...policy, conditions: policy.conditions.map((c) => (Array.isArray(c) ? ['content-length-range', 0, 10 * 1024 ** 3] : c)) })).toString('base64');
    expect(postPolicySignature({ ...view.fields, Policy: widened }, secret)).not.toBe(view.fields['X-Amz-Signature']);

    // End to end on s3rver: the form as given is stored and archived.
    const res = await postForm(view.uploadUrl, view.fields, video);
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await api.archived()).toContainEqual({ key, outcome: 'archived' });
    await api.settle();
    const { body } = await api.request('GET', path());
    expect(body.uploads.find((u: { uploadId: string }) => u.uploadId === view.uploadId)).toMatchObject({ status: 'archived', size: video.length, checksum });
  });

  it('without an announced checksum has no checksum field or condition', async () => {
    const view = await announceSingle({ fileName: 'captions.vtt', contentType: 'text/vtt', size: 20 });
    const policy = decodePolicy(view.fields);
    expect(Object.keys(view.fields).some((f) => /checksum/i.test(f))).toBe(false);
    expect(JSON.stringify(policy.conditions)).not.toMatch(/checksum/i);
    expect(policy.conditions).toEqual(expect.arrayContaining([['content-length-range', 20, 20], { 'Content-Type': 'text/vtt' }]));
  });

  it('s3rver 3.7.1 ignores the policy: another size and another type are stored, and the archiver rejects and deletes them', async () => {
    const view = await announceSingle({});
    const html = Buffer.from('<html><script>alert(1)</script></html>'.padEnd(video.length + 100, ' '));
    // What S3 refuses (the file is outside content-length-range, Content-Type is not the policy's)...
    const res = await postForm(view.uploadUrl, { ...view.fields, 'Content-Type': 'text/html' }, html, 'text/html');
    // ...s3rver stores: it reads no policy at all.
    expect(res.status).toBe(204);
    const reports = await api.archived();
    expect(reports).toContainEqual(expect.objectContaining({ key: view.fields.key, outcome: 'rejected' }));
    expect(await stored(view.fields.key!)).toBeUndefined();
    await api.settle();
    const { body } = await api.request('GET', path());
    expect(body.uploads.find((u: { uploadId: string }) => u.uploadId === view.uploadId)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/bytes, but \d+ were announced/) });
  });
});

describe('a multipart upload signs the size of every part', () => {
  it('presigns each part with its Content-Length: the signature holds for that size and no other', async () => {
    const size = MULTIPART_THRESHOLD_BYTES + 4321;
    const res = await api.request('POST', `${path()}/uploads`, { body: { fileName: 'long.mp4', contentType: 'video/mp4', size } });
    expect(res.status, res.text).toBe(201);
    // The signed headers first: this is what the answer lacked before (`host` only).
    for (const part of res.body.multipart.parts as { url: string }[]) {
      expect(new URL(part.url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'host']);
    }
    const view = RecordingUploadView.parse(res.body);
    if (view.method !== 'multipart') throw new Error(`an upload of ${size} bytes is multipart, not ${view.method}`);
    expect(view.multipart.parts.map((p) => p.size)).toEqual([MULTIPART_PART_BYTES, size - MULTIPART_PART_BYTES]);
    for (const part of view.multipart.parts) {
      const url = new URL(part.url);
      const signature = url.searchParams.get('X-Amz-Signature');
      expect(presignedUrlSignature(url, 'PUT', { 'content-length': String(part.size) }, secret)).toBe(signature);
      for (const other of [part.size - 1, part.size + 1, 0]) {
        expect(presignedUrlSignature(url, 'PUT', { 'content-length': String(other) }, secret), `a part of ${other} bytes`).not.toBe(signature);
      }
    }

    // s3rver 3.7.1 checks no SigV4 signature: a part of another size is stored there (S3 answers 403).
    const first = view.multipart.parts[0]!;
    const put = await fetch(first.url, { method: 'PUT', body: Buffer.alloc(10, 1) });
    expect(put.status).toBe(200);
  });
});
