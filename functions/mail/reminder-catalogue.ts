/**
 * The messages of the reminder mail (./reminder-mail.ts): before a session, on the day a
 * virtual dialogue's discussion opens, and some days before it closes. Same pattern as
 * ./invite-catalogue.ts: English defines the ids, every other language must supply each of
 * them (the type says so), `{placeholders}` are filled in by `messageFunctions()`.
 *
 * The values filled in are already localised by the mail: `{duration}` ("1 day and 12
 * hours", "30 minutos"), `{relative}` ("tomorrow", "dans 3 jours"), `{opens}`, `{closes}`
 * (long dates). The language is chosen exactly as ./catalogue.ts's `translator()` chooses
 * it, so this catalogue must have a table for every language that one has;
 * `reminderTranslator` throws if not (a test checks all of them). The lookup is
 * ./member-mail-parts.ts's `tablesTranslator`.
 */
import type { Translator } from './catalogue.js';
import { tablesTranslator } from './member-mail-parts.js';

const en = {
  'reminder.subject.before-session': 'Reminder: {session} starts in {duration}',
  'reminder.subject.dialogue-opens': '{series} opens today',
  'reminder.subject.dialogue-closes': '{series} closes {relative}',
  'reminder.greeting': 'Hello {name},',
  'reminder.greetingNoName': 'Hello,',
  'reminder.intro.before-session': '“{session}”, part of “{series}”, starts in {duration}.',
  'reminder.intro.dialogue-opens': 'The virtual dialogue “{series}” opens today. The discussion is open from {opens} to {closes} inclusive ({zone} time).',
  'reminder.intro.dialogue-closes': 'The virtual dialogue “{series}” closes {relative}. The last day of the discussion is {closes} ({zone} time).',
  'reminder.when': 'When',
  'reminder.join': 'Join',
  'reminder.calendarNote': 'This session is already in your calendar.',
  'reminder.sessionsHeading': 'Live sessions',
  'reminder.replyNote': 'Questions? Reply to this mail to reach {organiser}.',
  'reminder.sentBy': 'Sent by Convene on behalf of {organiser}.',
  'reminder.unsubscribeIntro': 'No more mail about this series?',
  'reminder.unsubscribeLink': 'Unsubscribe',
  'reminder.manageLink': 'Manage my registrations',
} as const;

export type ReminderMessageId = keyof typeof en;
export type ReminderMessages = Readonly<Record<ReminderMessageId, string>>;

const es: ReminderMessages = {
  'reminder.subject.before-session': 'Recordatorio: {session} comienza dentro de {duration}',
  'reminder.subject.dialogue-opens': 'Comienza hoy: {series}',
  'reminder.subject.dialogue-closes': 'Se cierra {relative}: {series}',
  'reminder.greeting': 'Hola, {name}:',
  'reminder.greetingNoName': 'Hola:',
  'reminder.intro.before-session': '«{session}», que forma parte de «{series}», comienza dentro de {duration}.',
  'reminder.intro.dialogue-opens': 'El diálogo virtual «{series}» comienza hoy. El debate está abierto desde el {opens} hasta el {closes}, ambos incluidos (hora de {zone}).',
  'reminder.intro.dialogue-closes': 'El diálogo virtual «{series}» se cierra {relative}. El último día del debate es el {closes} (hora de {zone}).',
  'reminder.when': 'Cuándo',
  'reminder.join': 'Enlace para participar',
  'reminder.calendarNote': 'Esta sesión ya está en su calendario.',
  'reminder.sessionsHeading': 'Sesiones en directo',
  'reminder.replyNote': '¿Preguntas? Responda a este mensaje para escribir a {organiser}.',
  'reminder.sentBy': 'Enviado por Convene en nombre de {organiser}.',
  'reminder.unsubscribeIntro': '¿No desea recibir más correos sobre esta serie?',
  'reminder.unsubscribeLink': 'Darse de baja',
  'reminder.manageLink': 'Gestionar mis inscripciones',
};

const fr: ReminderMessages = {
  'reminder.subject.before-session': 'Rappel\u00a0: {session} commence dans {duration}',
  'reminder.subject.dialogue-opens': 'Ouverture aujourd’hui\u00a0: {series}',
  'reminder.subject.dialogue-closes': 'Clôture {relative}\u00a0: {series}',
  'reminder.greeting': 'Bonjour {name},',
  'reminder.greetingNoName': 'Bonjour,',
  'reminder.intro.before-session': '«\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0», commence dans {duration}.',
  'reminder.intro.dialogue-opens': 'Le dialogue virtuel «\u00a0{series}\u00a0» ouvre aujourd’hui. La discussion est ouverte du {opens} au {closes} inclus (heure de {zone}).',
  'reminder.intro.dialogue-closes': 'Le dialogue virtuel «\u00a0{series}\u00a0» se termine {relative}. Le dernier jour de la discussion est le {closes} (heure de {zone}).',
  'reminder.when': 'Quand',
  'reminder.join': 'Lien pour participer',
  'reminder.calendarNote': 'Cette séance figure déjà dans votre agenda.',
  'reminder.sessionsHeading': 'Séances en direct',
  'reminder.replyNote': 'Des questions\u00a0? Répondez à ce message pour écrire à {organiser}.',
  'reminder.sentBy': 'Envoyé par Convene au nom de {organiser}.',
  'reminder.unsubscribeIntro': 'Vous ne souhaitez plus recevoir de messages sur cette série\u00a0?',
  'reminder.unsubscribeLink': 'Se désinscrire',
  'reminder.manageLink': 'Gérer mes inscriptions',
};

/**
 * `{duration}` comes from ICU in the nominative ("يوم", "ساعتان", "يوم و12 ساعة"), so it is
 * the subject of يتبقى here, never after a preposition (بعد ساعتين would need the genitive).
 * `{relative}` is a whole adverbial phrase ("غدًا", "بعد الغد", "خلال 3 أيام").
 */
const ar: ReminderMessages = {
  'reminder.subject.before-session': 'تذكير: يتبقى {duration} على بدء {session}',
  'reminder.subject.dialogue-opens': 'يبدأ اليوم: {series}',
  'reminder.subject.dialogue-closes': 'يُختتم {relative}: {series}',
  'reminder.greeting': 'مرحبًا {name}،',
  'reminder.greetingNoName': 'مرحبًا،',
  'reminder.intro.before-session': 'يتبقى {duration} على بدء جلسة «{session}»، ضمن «{series}».',
  'reminder.intro.dialogue-opens': 'يبدأ اليوم الحوار الافتراضي «{series}». يبقى باب النقاش مفتوحًا من {opens} حتى نهاية {closes} (بتوقيت {zone}).',
  'reminder.intro.dialogue-closes': 'يُختتم الحوار الافتراضي «{series}» {relative}. آخر أيام النقاش هو {closes} (بتوقيت {zone}).',
  'reminder.when': 'الموعد',
  'reminder.join': 'رابط المشاركة',
  'reminder.calendarNote': 'هذه الجلسة موجودة في تقويمك مسبقًا.',
  'reminder.sessionsHeading': 'الجلسات المباشرة',
  'reminder.replyNote': 'لديك أسئلة؟ يمكنك الرد على هذه الرسالة للتواصل مع {organiser}.',
  'reminder.sentBy': 'أُرسلت هذه الرسالة من Convene نيابةً عن {organiser}.',
  'reminder.unsubscribeIntro': 'هل تريد إيقاف الرسائل بشأن هذه السلسلة؟',
  'reminder.unsubscribeLink': 'إلغاء الاشتراك',
  'reminder.manageLink': 'إدارة تسجيلاتي',
};

/** By the same (lower-case) tags as ./catalogue.ts's CATALOGUE. */
export const REMINDER_CATALOGUE: Readonly<Record<string, ReminderMessages>> = { en, es, fr, ar };

export type ReminderTranslator = Translator<ReminderMessageId>;

const translatorFrom = tablesTranslator(REMINDER_CATALOGUE, 'reminder');

/** Same fallbacks as `translator()`: the member's language, then `fallbackLanguages`, then English. */
export function reminderTranslator(language: string, fallbackLanguages: readonly string[] = []): ReminderTranslator {
  return translatorFrom(language, fallbackLanguages);
}
