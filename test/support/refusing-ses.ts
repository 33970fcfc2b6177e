/**
 * An SES endpoint that refuses some mail as SES does, in front of the run's local SES: a
 * SendRawEmail whose To names a refused address is answered with SES's own query-API error
 * (`MessageRejected`, HTTP 400); everything else is passed through unchanged. aws-ses-v2-local
 * accepts every address, so this is how a test meets a per-address refusal through the real SDK
 * client and our error mapping. Listens on a free port on 127.0.0.1; `stop` closes it.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';

export interface RefusingSes {
  readonly client: SESClient;
  /** Addresses (lower case) whose mail is refused; add to it at any time. */
  readonly refused: Set<string>;
  /** How many sends were refused so far. */
  refusals(): number;
  stop(): Promise<void>;
}

export async function startRefusingSes(upstream: string): Promise<RefusingSes> {
  const refused = new Set<string>();
  let refusals = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.toString('utf8'));
      const raw = form.get('Action') === 'SendRawEmail' ? Buffer.from(form.get('RawMessage.Data') ?? '', 'base64').toString('utf8') : '';
      const to = /^To:(.*(?:\r\n[ \t].*)*)/im.exec(raw)?.[1]?.toLowerCase() ?? '';
      if ([...refused].some((address) => to.includes(address))) {
        refusals++;
        res.writeHead(400, { 'Content-Type': 'text/xml' });
        res.end(
          '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>MessageRejected</Code>' +
            '<Message>Email address is not verified. The following identities failed the check in region US-EAST-1: the recipient</Message></Error>' +
            '<RequestId>refusing-ses</RequestId></ErrorResponse>',
        );
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).flatMap(([name, value]) => (['host', 'content-length', 'connection'].includes(name) || value === undefined ? [] : [[name, String(value)]])),
      );
      // A connection of its own for each mail (agent: false): no idle socket to the upstream is
      // ever reused just as the upstream closes it.
      const forward = request(new URL(req.url ?? '/', upstream), { method: req.method ?? 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: false }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (part: Buffer) => parts.push(part));
        answer.on('end', () => {
          res.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'text/xml' });
          res.end(Buffer.concat(parts));
        });
      });
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  // Keep the SDK client's idle connections open until stop(): a server that closes an idle
  // keep-alive socket (Node's default after 5 s) races the client reusing it, and with one
  // attempt per send that reset was a mail failed at random (poison.e2e under load).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SESClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint, maxAttempts: 1 });
  return {
    client,
    refused,
    refusals: () => refusals,
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
