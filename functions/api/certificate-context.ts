/**
 * What the member decider needs to issue a certificate (events/member/commands.ts
 * CertificateContext), from a series as the API has it: its rule and its sessions now. None
 * when the series sets no rule. Each id is random: the public verification page is found by it.
 */
import type { CertificateContext } from '../../events/member/commands.js';
import type { CertificateRule } from '../../events/certificates/rule.js';

type SeriesWithRule = {
  readonly certificateRule?: CertificateRule;
  readonly sessions: Iterable<{ readonly sessionId: string; readonly status: 'scheduled' | 'cancelled'; readonly startsAt: string; readonly endsAt: string }>;
};

/**
 * The contexts for the commands of one request: the series' sessions are read once, each call
 * gives a fresh certificate id (one per member). Always undefined when the series has no rule.
 */
export function certificateContexts(series: SeriesWithRule, now: Date): () => CertificateContext | undefined {
  const rule = series.certificateRule;
  if (!rule) return () => undefined;
  const sessions = [...series.sessions].map(({ sessionId, status, startsAt, endsAt }) => ({ sessionId, status, startsAt, endsAt }));
  const issuedAt = now.toISOString();
  return () => ({ rule, sessions, certificateId: crypto.randomUUID(), issuedAt });
}

/** The context as a command's optional `certificate`, so meeting the rule issues the certificate at once. */
export const withCertificate = (context: CertificateContext | undefined): { certificate?: CertificateContext } => (context ? { certificate: context } : {});
