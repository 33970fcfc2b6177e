/**
 * The wording of a certificate of participation in each language it is written in. English
 * defines the message ids; every other language must supply each of them (the type says so,
 * as functions/pages/texts/ do) with the same `{placeholders}` (the unit test checks those).
 * The renderer isolates each value (a name or a title in another script keeps its own
 * direction and leaves the sentence around it whole).
 *
 * The Arabic is worded without grammatical gender ("the participation of ... in"), since the
 * certificate does not know the member's.
 */
const en = {
  title: 'Certificate of participation',
  certifies: 'This is to certify that',
  participated: 'took part in',
  organisedBy: 'organised by {organiser}',
  'fact.hours': 'Hours of participation',
  'fact.sessions': 'Sessions attended',
  'fact.sessionsValue': '{attended} of {total}',
  'fact.issued': 'Date of issue',
  certificateId: 'Certificate no. {id}',
  verify: 'Check this certificate at {url}',
} as const;

export type CertificateMessageId = keyof typeof en;
export type CertificateMessages = Readonly<Record<CertificateMessageId, string>>;

const es: CertificateMessages = {
  title: 'Certificado de participación',
  certifies: 'Se certifica que',
  participated: 'participó en',
  organisedBy: 'organizado por {organiser}',
  'fact.hours': 'Horas de participación',
  'fact.sessions': 'Sesiones asistidas',
  'fact.sessionsValue': '{attended} de {total}',
  'fact.issued': 'Fecha de emisión',
  certificateId: 'Certificado n.º {id}',
  verify: 'Compruebe este certificado en {url}',
};

const fr: CertificateMessages = {
  title: 'Attestation de participation',
  certifies: 'Nous attestons que',
  participated: 'a participé à',
  organisedBy: 'organisé par {organiser}',
  'fact.hours': 'Heures de participation',
  'fact.sessions': 'Séances suivies',
  'fact.sessionsValue': '{attended} sur {total}',
  'fact.issued': 'Date de délivrance',
  certificateId: 'Attestation nº {id}',
  verify: 'Vérifiez cette attestation sur {url}',
};

const ar: CertificateMessages = {
  title: 'شهادة مشاركة',
  certifies: 'تشهد هذه الوثيقة بمشاركة',
  participated: 'في',
  organisedBy: 'بتنظيم {organiser}',
  'fact.hours': 'ساعات المشاركة',
  'fact.sessions': 'الجلسات المحضورة',
  'fact.sessionsValue': '{attended} من {total}',
  'fact.issued': 'تاريخ الإصدار',
  certificateId: 'رقم الشهادة: {id}',
  verify: 'للتحقق من هذه الشهادة: {url}',
};

/** Every language a certificate is written in. */
export const CERTIFICATE_LANGUAGES = ['en', 'es', 'fr', 'ar'] as const;
export type CertificateLanguage = (typeof CERTIFICATE_LANGUAGES)[number];

export const CERTIFICATE_CATALOGUE: Readonly<Record<CertificateLanguage, CertificateMessages>> = { en, es, fr, ar };

/**
 * The locale numbers and dates are written in, as the pages write them
 * (functions/pages/texts/index.ts): `en-GB` ("3 May 2027") for a worldwide English, Arabic
 * with Latin digits.
 */
export const CERTIFICATE_LOCALES: Readonly<Record<CertificateLanguage, string>> = { en: 'en-GB', es: 'es', fr: 'fr', ar: 'ar-u-nu-latn' };

const RIGHT_TO_LEFT: ReadonlySet<CertificateLanguage> = new Set(['ar']);

/** The certificate language for a BCP 47 tag (`es-419` → `es`); any other language falls back to English. */
export function certificateLanguageOf(tag: string): CertificateLanguage {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return CERTIFICATE_LANGUAGES.find((l) => l === primary) ?? 'en';
}

export function certificateDirection(language: CertificateLanguage): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
}
