/**
 * What the member decider needs to issue a certificate (events/member/commands.ts
 * CertificateContext), from a series as the API has it: its rule and its sessions now. Absent
 * when the series sets no rule. The id is random: the public verification page is found by it.
 */
import type { CertificateContext } from '../../events/member/commands.js';
import type { CertificateRule } from '../../events/certificates/rule.js';

export function certificateContext(
  series: { readonly certificateRule?: CertificateRule; readonly sessions: Iterable<{ readonly sessionId: string; readonly status: 'scheduled' | 'cancelled'; readonly startsAt: string; readonly endsAt: string }> },
  now: Date,
): CertificateContext | undefined {
  if (!series.certificateRule) return undefined;
  return {
    rule: series.certificateRule,
    sessions: [...series.sessions].map(({ sessionId, status, startsAt, endsAt }) => ({ sessionId, status, startsAt, endsAt })),
    certificateId: crypto.randomUUID(),
    issuedAt: now.toISOString(),
  };
}
