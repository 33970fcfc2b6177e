/**
 * The public verification page of a certificate of participation (`GET /certificates/{id}`,
 * the address its PDF's QR code and link carry): anyone may open it, so it shows only what
 * the certificate itself says. Whether it is valid, revoked (when, and the organiser's
 * reason if one was given) or unknown, in words and not by colour alone; and, for a
 * certificate Convene issued: its number, the member's name, the series, its organiser, the
 * hours and sessions, and the date of issue. No mail address, no member id, nothing else.
 *
 * Dates are written in the series' home zone (as on the PDF), so the page and the paper show
 * the same day wherever the reader is. Every text someone typed (name, title, organiser,
 * reason) is isolated in its own direction.
 */
import type { FC } from 'hono/jsx';
import { Layout } from './layout.js';
import { dayFormat, numberFormat, unitFormat } from './formats.js';
import type { PageLanguage, PageTranslator } from './texts/index.js';

export interface IssuedCertificate {
  readonly status: 'valid' | 'revoked';
  readonly certificateId: string;
  readonly memberName: string;
  readonly seriesTitle: string;
  readonly seriesUrl: string;
  readonly organiser: string;
  readonly hours: number;
  readonly sessionsAttended: number;
  readonly sessionsTotal: number;
  /** An ISO 8601 instant. */
  readonly issuedAt: string;
  /** The series' home zone: the dates are written in it. */
  readonly timeZone: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}

export interface UnknownCertificate {
  readonly status: 'unknown';
  readonly certificateId: string;
}

export interface CertificatePageProps {
  readonly tr: PageTranslator;
  readonly languageHref: (language: PageLanguage) => string;
  readonly certificate: IssuedCertificate | UnknownCertificate;
}

/** The most of a looked-up number an unknown certificate's page repeats (it comes from the address, typed by anyone). */
const SHOWN_ID_LENGTH = 80;

const shownId = (id: string) => (id.length > SHOWN_ID_LENGTH ? `${id.slice(0, SHOWN_ID_LENGTH)}…` : id);

/** A day in the series' zone, with the instant for `<time datetime>`. */
const Day: FC<{ tr: PageTranslator; instant: string; zone: string }> = ({ tr, instant, zone }) => <time datetime={instant}>{dayFormat(tr.locale, zone).format(new Date(instant))}</time>;

const Status: FC<{ tr: PageTranslator; certificate: IssuedCertificate | UnknownCertificate }> = ({ tr, certificate: c }) => {
  if (c.status === 'unknown') {
    return (
      <div class="error-summary" id="certificate-status">
        <p>
          <strong>{tr.t('certificate.unknown')}</strong>
        </p>
        <p>{tr.n('certificate.unknownBody', { id: shownId(c.certificateId) })}</p>
      </div>
    );
  }
  if (c.status === 'revoked') {
    const reason = c.revocationReason?.trim();
    return (
      <div class="error-summary" id="certificate-status">
        <p>
          <strong>
            <span aria-hidden="true">✗ </span>
            {tr.t('certificate.revoked')}
          </strong>
        </p>
        <p>{c.revokedAt ? tr.n('certificate.revokedOn', { date: <Day tr={tr} instant={c.revokedAt} zone={c.timeZone} /> }) : tr.t('certificate.revokedUndated')}</p>
        {reason ? <p>{tr.n('certificate.reason', { reason })}</p> : null}
      </div>
    );
  }
  return (
    <div class="notice" id="certificate-status">
      <p>
        <strong>
          <span aria-hidden="true">✓ </span>
          {tr.t('certificate.valid')}
        </strong>
      </p>
      <p>{tr.t('certificate.validBody')}</p>
    </div>
  );
};

const Facts: FC<{ tr: PageTranslator; certificate: IssuedCertificate }> = ({ tr, certificate: c }) => {
  const count = numberFormat(tr.locale);
  return (
    <>
      <dl>
        <dt>{tr.t('certificate.member')}</dt>
        <dd>
          <strong>
            <bdi>{c.memberName}</bdi>
          </strong>
        </dd>
        <dt>{tr.t('certificate.series')}</dt>
        <dd>
          <a href={c.seriesUrl}>
            <bdi>{c.seriesTitle}</bdi>
          </a>
        </dd>
        <dt>{tr.t('certificate.organiser')}</dt>
        <dd>
          <bdi>{c.organiser}</bdi>
        </dd>
        <dt>{tr.t('certificate.hours')}</dt>
        <dd>{unitFormat(tr.locale, 'hour', 'long', 2).format(c.hours)}</dd>
        <dt>{tr.t('certificate.sessions')}</dt>
        <dd>{tr.n('certificate.sessionsValue', { attended: count.format(c.sessionsAttended), total: count.format(c.sessionsTotal) })}</dd>
        <dt>{tr.t('certificate.issued')}</dt>
        <dd>
          <Day tr={tr} instant={c.issuedAt} zone={c.timeZone} />
        </dd>
        <dt>{tr.t('certificate.number')}</dt>
        <dd>
          <bdi>{c.certificateId}</bdi>
        </dd>
      </dl>
      <p class="muted">{tr.n('certificate.zoneNote', { zone: c.timeZone })}</p>
    </>
  );
};

export const CertificatePage: FC<CertificatePageProps> = ({ tr, languageHref, certificate }) => (
  <Layout title={tr.t('certificate.title')} tr={tr} languageHref={languageHref}>
    <Status tr={tr} certificate={certificate} />
    {certificate.status === 'unknown' ? null : <Facts tr={tr} certificate={certificate} />}
  </Layout>
);
