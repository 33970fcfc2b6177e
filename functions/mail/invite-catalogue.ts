/**
 * The messages of the iMIP invitation mail (./invite-mail.ts), kept apart from
 * ./catalogue.ts because that file's `MessageId` is the key set of its own English table:
 * adding ids there means editing it. Same pattern: English defines the ids, every other
 * language must supply each of them (the type says so), `{placeholders}` are filled in here.
 *
 * The language is chosen exactly as ./catalogue.ts's `translator()` chooses it (its result's
 * `language` is looked up here), so this catalogue must have a table for every language that
 * one has; `inviteTranslator` throws if not (a test checks all of them).
 */
import type { Translator } from './catalogue.js';
import { tablesTranslator } from './member-mail-parts.js';

const en = {
  'invite.subject.request': 'Invitation: {session}',
  'invite.subject.update': 'Updated: {session}',
  'invite.subject.cancel': 'Cancelled: {session}',
  'invite.subject.removed': 'Removed from your calendar: {session}',
  'invite.greeting': 'Hello {name},',
  'invite.greetingNoName': 'Hello,',
  'invite.intro.request': '{organiser} invites you to “{session}”, part of “{series}”.',
  'invite.intro.update': '{organiser} has changed “{session}”, part of “{series}”. Your calendar is updated with this mail.',
  'invite.intro.cancel': '{organiser} has cancelled “{session}”, part of “{series}”. This mail removes it from your calendar.',
  'invite.intro.removed': 'You are no longer registered for “{session}”, part of “{series}” by {organiser}. This mail removes it from your calendar.',
  'invite.reason': 'The organiser’s reason',
  'invite.when': 'When',
  'invite.join': 'Join',
  'invite.calendarNote': 'The attached invitation adds this session to your calendar.',
  'invite.replyNote': 'Questions? Reply to this mail to reach {organiser}.',
  'invite.sentBy': 'Sent by Convene on behalf of {organiser}.',
  'invite.unsubscribeIntro': 'No more mail about this series?',
  'invite.unsubscribeLink': 'Unsubscribe',
  'invite.manageLink': 'Manage my registrations',
} as const;

export type InviteMessageId = keyof typeof en;
export type InviteMessages = Readonly<Record<InviteMessageId, string>>;

const es: InviteMessages = {
  'invite.subject.request': 'Invitación: {session}',
  'invite.subject.update': 'Actualizada: {session}',
  'invite.subject.cancel': 'Cancelada: {session}',
  'invite.subject.removed': 'Eliminada de su calendario: {session}',
  'invite.greeting': 'Hola, {name}:',
  'invite.greetingNoName': 'Hola:',
  'invite.intro.request': '{organiser} le invita a «{session}», que forma parte de «{series}».',
  'invite.intro.update': '{organiser} ha modificado «{session}», que forma parte de «{series}». Este correo actualiza su calendario.',
  'invite.intro.cancel': '{organiser} ha cancelado «{session}», que forma parte de «{series}». Este correo la elimina de su calendario.',
  'invite.intro.removed': 'Ya no está inscrito en «{session}», que forma parte de «{series}» de {organiser}. Este correo la elimina de su calendario.',
  'invite.reason': 'Motivo de la organización',
  'invite.when': 'Cuándo',
  'invite.join': 'Enlace para participar',
  'invite.calendarNote': 'La invitación adjunta añade esta sesión a su calendario.',
  'invite.replyNote': '¿Preguntas? Responda a este mensaje para escribir a {organiser}.',
  'invite.sentBy': 'Enviado por Convene en nombre de {organiser}.',
  'invite.unsubscribeIntro': '¿No desea recibir más correos sobre esta serie?',
  'invite.unsubscribeLink': 'Darse de baja',
  'invite.manageLink': 'Gestionar mis inscripciones',
};

const fr: InviteMessages = {
  'invite.subject.request': 'Invitation\u00a0: {session}',
  'invite.subject.update': 'Mise à jour\u00a0: {session}',
  'invite.subject.cancel': 'Annulée\u00a0: {session}',
  'invite.subject.removed': 'Retirée de votre agenda\u00a0: {session}',
  'invite.greeting': 'Bonjour {name},',
  'invite.greetingNoName': 'Bonjour,',
  'invite.intro.request': '{organiser} vous invite à «\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0».',
  'invite.intro.update': '{organiser} a modifié «\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0». Ce message met votre agenda à jour.',
  'invite.intro.cancel': '{organiser} a annulé «\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0». Ce message la retire de votre agenda.',
  'invite.intro.removed': 'Vous n’êtes plus inscrit à «\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0» de {organiser}. Ce message la retire de votre agenda.',
  'invite.reason': 'Motif donné par l’organisation',
  'invite.when': 'Quand',
  'invite.join': 'Lien pour participer',
  'invite.calendarNote': 'L’invitation jointe ajoute cette séance à votre agenda.',
  'invite.replyNote': 'Des questions\u00a0? Répondez à ce message pour écrire à {organiser}.',
  'invite.sentBy': 'Envoyé par Convene au nom de {organiser}.',
  'invite.unsubscribeIntro': 'Vous ne souhaitez plus recevoir de messages sur cette série\u00a0?',
  'invite.unsubscribeLink': 'Se désinscrire',
  'invite.manageLink': 'Gérer mes inscriptions',
};

const ar: InviteMessages = {
  'invite.subject.request': 'دعوة: {session}',
  'invite.subject.update': 'تحديث الجلسة: {session}',
  'invite.subject.cancel': 'أُلغيت الجلسة: {session}',
  'invite.subject.removed': 'أُزيلت من تقويمك: {session}',
  'invite.greeting': 'مرحبًا {name}،',
  'invite.greetingNoName': 'مرحبًا،',
  'invite.intro.request': 'دعوة من {organiser} لحضور جلسة «{session}»، ضمن «{series}».',
  'invite.intro.update': 'طرأ تعديل على جلسة «{session}»، ضمن «{series}» من تنظيم {organiser}. تُحدِّث هذه الرسالة تقويمك.',
  'invite.intro.cancel': 'أُلغيت جلسة «{session}»، ضمن «{series}» من تنظيم {organiser}. تُزيل هذه الرسالة الجلسة من تقويمك.',
  'invite.intro.removed': 'أُلغي تسجيلك في جلسة «{session}»، ضمن «{series}» من تنظيم {organiser}. تُزيل هذه الرسالة الجلسة من تقويمك.',
  'invite.reason': 'السبب الذي ذكره المنظِّم',
  'invite.when': 'الموعد',
  'invite.join': 'رابط المشاركة',
  'invite.calendarNote': 'تُضيف الدعوة المرفقة هذه الجلسة إلى تقويمك.',
  'invite.replyNote': 'لديك أسئلة؟ يمكنك الرد على هذه الرسالة للتواصل مع {organiser}.',
  'invite.sentBy': 'أُرسلت هذه الرسالة من Convene نيابةً عن {organiser}.',
  'invite.unsubscribeIntro': 'هل تريد إيقاف الرسائل بشأن هذه السلسلة؟',
  'invite.unsubscribeLink': 'إلغاء الاشتراك',
  'invite.manageLink': 'إدارة تسجيلاتي',
};

/** By the same (lower-case) tags as ./catalogue.ts's CATALOGUE. */
export const INVITE_CATALOGUE: Readonly<Record<string, InviteMessages>> = { en, es, fr, ar };

export type InviteTranslator = Translator<InviteMessageId>;

/** Same fallbacks as `translator()`: the member's language, then `fallbackLanguages`, then English. */
export const inviteTranslator: (language: string, fallbackLanguages?: readonly string[]) => InviteTranslator = tablesTranslator(INVITE_CATALOGUE, 'invitation');
