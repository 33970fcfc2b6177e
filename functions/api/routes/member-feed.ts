/**
 * A member's personal calendar feed: `GET /feeds/members/{token}.ics`, every session the member
 * is confirmed (and seated) for, across series. Calendar clients poll it: the inputs are read
 * fresh on every request (../member-feed-inputs.ts says what memory saves), a 304 renders
 * nothing, and a rendered feed is kept by its ETag.
 */
import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { feedLastModified } from '../../feeds/ical.js';
import { personalFeedBody } from '../../feeds/feed-bodies.js';
import { memberJoinLinks } from '../../links/member-links.js';
import type { TokenSigner } from '../../security/signed-token.js';
import { boundedCache } from '../../bounded-cache.js';
import { feedMadeOf, memberFeedInputs, type FeedInputsOptions } from '../member-feed-inputs.js';
import type { FeedReads } from '../../read-models/member-feed-reads.js';
import { NotFoundProblem } from '../problems.js';
import { isNotModified } from '../request.js';
import { mount } from '../mount-route.js';

export interface MemberFeedDeps {
  readonly read: FeedReads;
  readonly baseUrl: string;
  /** Signs the members' own join links the feeds carry; absent: the meeting URLs themselves. */
  readonly signer?: TokenSigner;
  readonly cache?: FeedInputsOptions & { readonly renderedFeeds?: number };
}

/** Bump when the feed renderer changes what it writes, so clients' cached ETags go stale. */
const FEED_RENDERING = 'feed-3';
/** Rendered personal feeds kept in memory, by ETag (a 200-session feed takes ~300 ms to render). */
const RENDERED_FEEDS = 500;
const utf8 = new TextEncoder();

export function memberFeedRoutes(deps: MemberFeedDeps) {
  const app = new Hono();
  const inputsOf = memberFeedInputs(deps.read, deps.cache);
  // UTF-8 bytes, so a repeated full response is not encoded again.
  const renderedFeeds = boundedCache<Uint8Array<ArrayBuffer>>(deps.cache?.renderedFeeds ?? RENDERED_FEEDS);

  mount(app, 'memberFeed', async (c) => {
    const inputs = await inputsOf(c.req.param('file').replace(/\.ics$/, ''));
    if (!inputs) throw new NotFoundProblem('There is no such feed.');
    const { entries, language, registrations } = inputs;
    // The feed is a function of these inputs: its ETag is their hash, so a 304 costs no
    // rendering, and any change (a version, a seat, the language) gives a new ETag.
    const hashed = JSON.stringify([FEED_RENDERING, deps.baseUrl, feedMadeOf(inputs)]);
    const etag = `"${createHash('sha256').update(hashed).digest('base64url')}"`;
    const lastModified = feedLastModified([...entries.map((e) => e.schedule), ...(registrations ? [registrations] : [])]);
    c.header('ETag', etag);
    c.header('Last-Modified', lastModified);
    c.header('Cache-Control', 'private, max-age=60');
    if (isNotModified(c, etag, lastModified)) return c.body(null, 304);
    const joinLinks = deps.signer ? memberJoinLinks(deps.signer, deps.baseUrl, inputs.memberId) : undefined;
    const ics = renderedFeeds.get(etag, () => utf8.encode(personalFeedBody({ entries, language }, deps.baseUrl, joinLinks)));
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8' });
  });

  return app;
}
