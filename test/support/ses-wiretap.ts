/**
 * The raw MIME bytes of every SendRawEmail a test file's SES client sends, whoever sends it
 * (the API's confirmation mail, a dispatcher): the local SES endpoint keeps only parsed mail
 * (STACK trap 5), and the header bytes are what a header-injection test must read.
 */
import type { SESClient } from '@aws-sdk/client-ses';

const taps = new WeakMap<SESClient, Buffer[]>();

/** Every raw message sent through `ses` from now on (one list per client, however often asked). */
export function wiretap(ses: SESClient): readonly Buffer[] {
  let sent = taps.get(ses);
  if (!sent) {
    const list: Buffer[] = [];
    sent = list;
    taps.set(ses, list);
    ses.middlewareStack.add(
      (next) => async (args) => {
        const data = (args.input as { RawMessage?: { Data?: Uint8Array } }).RawMessage?.Data;
        const result = await next(args);
        // Recorded once SES accepted it: a refused send is no mail.
        if (data) list.push(Buffer.from(data));
        return result;
      },
      { step: 'initialize', name: 'convene-test-wiretap' },
    );
  }
  return sent;
}
