/**
 * The messages of the mail that carries a member's certificate of participation
 * (./certificate-mail.ts). Same pattern as ./recording-catalogue.ts: English defines the ids,
 * every other language must supply each of them (the type says so), `{placeholders}` are filled
 * in by `messageFunctions()`. (The certificate's own wording, in the PDF, is
 * ../certificates/certificate-texts.ts.)
 *
 * The values filled in are already localised by the mail: `{series}` (the title in the
 * member's language), `{sessionsAttended}` and `{sessionsTotal}` (numbers in the member's
 * locale), `{hours}` (a number with its unit, by Intl: "7.5 hours", "1 hora", "7,5 heures",
 * "3 ساعات"), so the hours are always in the right plural. For the sessions the mail picks
 * `certificate.intro.one` when Intl.PluralRules puts `{sessionsTotal}` in the "one" category
 * of the locale (1 in English and Spanish, 0 and 1 in French), else `certificate.intro.other`.
 *
 * The Arabic addresses the reader without marking gender (the unvocalised suffix ـك, a count
 * phrased as "the number of sessions ...: 3 of 4", which also needs no number agreement), as
 * the other mails and the certificate do.
 */
import type { Translator } from './catalogue.js';
import { tablesTranslator } from './member-mail-parts.js';

const en = {
  'certificate.subject': 'Your certificate of participation: {series}',
  'certificate.greeting': 'Hello {name},',
  'certificate.greetingNoName': 'Hello,',
  'certificate.intro.one': 'You took part in {sessionsAttended} of {sessionsTotal} session of “{series}” ({hours}). Your certificate of participation is attached.',
  'certificate.intro.other': 'You took part in {sessionsAttended} of {sessionsTotal} sessions of “{series}” ({hours}). Your certificate of participation is attached.',
  'certificate.verify': 'Anyone you show it to can check it here: {verifyUrl}',
  'certificate.replyNote': 'Questions? Reply to this mail to reach {organiser}.',
  'certificate.sentBy': 'Sent by Convene on behalf of {organiser}.',
  'certificate.unsubscribeIntro': 'No more mail about this series?',
  'certificate.unsubscribeLink': 'Unsubscribe',
  'certificate.manageLink': 'Manage my registrations',
} as const;

export type CertificateMailMessageId = keyof typeof en;
export type CertificateMailMessages = Readonly<Record<CertificateMailMessageId, string>>;

const es: CertificateMailMessages = {
  'certificate.subject': 'Su certificado de participación: {series}',
  'certificate.greeting': 'Hola, {name}:',
  'certificate.greetingNoName': 'Hola:',
  'certificate.intro.one': 'Participó en {sessionsAttended} de {sessionsTotal} sesión de «{series}» ({hours}). Le adjuntamos su certificado de participación.',
  'certificate.intro.other': 'Participó en {sessionsAttended} de las {sessionsTotal} sesiones de «{series}» ({hours}). Le adjuntamos su certificado de participación.',
  'certificate.verify': 'Cualquier persona a quien se lo muestre puede comprobarlo aquí: {verifyUrl}',
  'certificate.replyNote': '¿Preguntas? Responda a este mensaje para escribir a {organiser}.',
  'certificate.sentBy': 'Enviado por Convene en nombre de {organiser}.',
  'certificate.unsubscribeIntro': '¿No desea recibir más correos sobre esta serie?',
  'certificate.unsubscribeLink': 'Darse de baja',
  'certificate.manageLink': 'Gestionar mis inscripciones',
};

const fr: CertificateMailMessages = {
  'certificate.subject': 'Votre attestation de participation\u00a0: {series}',
  'certificate.greeting': 'Bonjour {name},',
  'certificate.greetingNoName': 'Bonjour,',
  'certificate.intro.one': 'Vous avez participé à {sessionsAttended} séance sur {sessionsTotal} de «\u00a0{series}\u00a0» ({hours}). Votre attestation de participation est jointe à ce message.',
  'certificate.intro.other': 'Vous avez participé à {sessionsAttended} des {sessionsTotal} séances de «\u00a0{series}\u00a0» ({hours}). Votre attestation de participation est jointe à ce message.',
  'certificate.verify': 'Toute personne à qui vous la montrez peut la vérifier ici\u00a0: {verifyUrl}',
  'certificate.replyNote': 'Des questions\u00a0? Répondez à ce message pour écrire à {organiser}.',
  'certificate.sentBy': 'Envoyé par Convene au nom de {organiser}.',
  'certificate.unsubscribeIntro': 'Vous ne souhaitez plus recevoir de messages sur cette série\u00a0?',
  'certificate.unsubscribeLink': 'Se désinscrire',
  'certificate.manageLink': 'Gérer mes inscriptions',
};

const ar: CertificateMailMessages = {
  'certificate.subject': 'شهادة مشاركتك: {series}',
  'certificate.greeting': 'مرحبًا {name}،',
  'certificate.greetingNoName': 'مرحبًا،',
  'certificate.intro.one': 'شكرًا لمشاركتك في «{series}» ({hours}). عدد الجلسات التي حضرتها: {sessionsAttended} من أصل {sessionsTotal}. شهادة مشاركتك مرفقة بهذه الرسالة.',
  'certificate.intro.other': 'شكرًا لمشاركتك في «{series}» ({hours}). عدد الجلسات التي حضرتها: {sessionsAttended} من أصل {sessionsTotal}. شهادة مشاركتك مرفقة بهذه الرسالة.',
  'certificate.verify': 'يمكن لكل من يطّلع عليها التحقق منها هنا: {verifyUrl}',
  'certificate.replyNote': 'لديك أسئلة؟ يمكنك الرد على هذه الرسالة للتواصل مع {organiser}.',
  'certificate.sentBy': 'أُرسلت هذه الرسالة من Convene نيابةً عن {organiser}.',
  'certificate.unsubscribeIntro': 'هل تريد إيقاف الرسائل بشأن هذه السلسلة؟',
  'certificate.unsubscribeLink': 'إلغاء الاشتراك',
  'certificate.manageLink': 'إدارة تسجيلاتي',
};

/** By the same (lower-case) tags as ./catalogue.ts's CATALOGUE. */
export const CERTIFICATE_MAIL_CATALOGUE: Readonly<Record<string, CertificateMailMessages>> = { en, es, fr, ar };

export type CertificateMailTranslator = Translator<CertificateMailMessageId>;

const translatorFrom = tablesTranslator(CERTIFICATE_MAIL_CATALOGUE, 'certificate');

/** Same fallbacks as `translator()`: the member's language, then `fallbackLanguages`, then English. */
export function certificateMailTranslator(language: string, fallbackLanguages: readonly string[] = []): CertificateMailTranslator {
  return translatorFrom(language, fallbackLanguages);
}
