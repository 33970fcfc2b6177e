/** The local SES endpoint's mailbox, as tests read it (parsed mail only: STACK trap 5). */
import { localStackInfo } from './local.js';

export interface StoredMail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: Record<string, string>;
}

export async function mailTo(address: string): Promise<StoredMail[]> {
  const store = (await (await fetch(`${localStackInfo().ses.endpoint}/store`)).json()) as { emails: StoredMail[] };
  return store.emails.filter((mail) => mail.destination.to.some((to) => to.toLowerCase().includes(address.toLowerCase())));
}

/** The first http(s) link in a text body that contains `path`. */
export function linkIn(text: string | undefined, path: string): string | undefined {
  return (text ?? '').match(/https?:\/\/\S+/g)?.find((url) => url.includes(path));
}
