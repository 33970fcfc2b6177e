/**
 * The message catalogue of Convene's mail: plain data, one table of strings per language,
 * keyed by message id, with `{placeholders}` filled in by `translator()`. English defines
 * the ids; the type system makes every other language supply every one of them (and the
 * unit tests check that each translation uses the same placeholders as the English).
 *
 * To add a language, add a table below (and, if its bare tag formats dates in a way the
 * members would not expect, a locale in FORMAT_LOCALES). Nothing else changes.
 */
import { escapeHtml } from './compose.js';
import { templateParts, type TemplatePart } from '../message-template.js';

const en = {
  // Double opt-in confirmation (functions/mail/confirmation-mail.ts)
  'confirm.subject': 'Please confirm your registration: {series}',
  'confirm.greeting': 'Hello {name},',
  'confirm.greetingNoName': 'Hello,',
  'confirm.intro.lecture-series': 'Thank you for registering for the lecture series “{series}”, organised by {organiser}.',
  'confirm.intro.virtual-dialogue': 'Thank you for registering for the virtual dialogue “{series}”, organised by {organiser}.',
  'confirm.ask': 'Please confirm that this is your address: your registration counts only once you have confirmed it.',
  'confirm.button': 'Confirm my registration',
  'confirm.linkIntro': 'To confirm, open this link:',
  'confirm.sessionsHeading': 'Sessions',
  'confirm.timesNote': 'Times are shown in your time zone, {zone}.',
  'confirm.noSessions': 'The sessions will be announced later.',
  'confirm.cancelled': 'Cancelled: {session}',
  'confirm.ignore': 'If you did not register, ignore this mail: you will not be registered and will get no more mail about this series.',
  'confirm.replyNote': 'Questions? Reply to this mail to reach {organiser}.',
  'confirm.sentBy': 'Sent by Convene on behalf of {organiser}.',
  'confirm.unsubscribeIntro': 'No more mail about this series?',
  'confirm.unsubscribeLink': 'Unsubscribe',
  'confirm.manageLink': 'Manage my registrations',

  // Session times (functions/mail/format-time.ts)
  'time.range': '{start}–{end}',
  'time.memberZone': '{date}, {range} ({zone} time)',
  'time.memberZoneOvernight': '{startDate}, {start} – {endDate}, {end} ({zone} time)',
  'time.homeZone': '{time} in {zone}',
  'time.homeZoneOtherDay': '{date}, {time} in {zone}',
  'time.withHome': '{member} · {home}',
} as const;

export type MessageId = keyof typeof en;
export type Messages = Readonly<Record<MessageId, string>>;

const es: Messages = {
  'confirm.subject': 'Confirme su inscripción: {series}',
  'confirm.greeting': 'Hola, {name}:',
  'confirm.greetingNoName': 'Hola:',
  'confirm.intro.lecture-series': 'Gracias por inscribirse en el ciclo de conferencias «{series}», organizado por {organiser}.',
  'confirm.intro.virtual-dialogue': 'Gracias por inscribirse en el diálogo virtual «{series}», organizado por {organiser}.',
  'confirm.ask': 'Confirme que esta es su dirección: su inscripción solo será válida cuando la haya confirmado.',
  'confirm.button': 'Confirmar mi inscripción',
  'confirm.linkIntro': 'Para confirmarla, abra este enlace:',
  'confirm.sessionsHeading': 'Sesiones',
  'confirm.timesNote': 'Los horarios se muestran en su zona horaria, {zone}.',
  'confirm.noSessions': 'Las sesiones se anunciarán más adelante.',
  'confirm.cancelled': 'Cancelada: {session}',
  'confirm.ignore': 'Si usted no se inscribió, ignore este mensaje: no quedará inscrito y no recibirá más correos sobre esta serie.',
  'confirm.replyNote': '¿Preguntas? Responda a este mensaje para escribir a {organiser}.',
  'confirm.sentBy': 'Enviado por Convene en nombre de {organiser}.',
  'confirm.unsubscribeIntro': '¿No desea recibir más correos sobre esta serie?',
  'confirm.unsubscribeLink': 'Darse de baja',
  'confirm.manageLink': 'Gestionar mis inscripciones',

  'time.range': '{start}–{end}',
  'time.memberZone': '{date}, {range} (hora de {zone})',
  'time.memberZoneOvernight': '{startDate}, {start} – {endDate}, {end} (hora de {zone})',
  'time.homeZone': '{time} en {zone}',
  'time.homeZoneOtherDay': '{date}, {time} en {zone}',
  'time.withHome': '{member} · {home}',
};

const fr: Messages = {
  'confirm.subject': 'Veuillez confirmer votre inscription\u00a0: {series}',
  'confirm.greeting': 'Bonjour {name},',
  'confirm.greetingNoName': 'Bonjour,',
  'confirm.intro.lecture-series': 'Merci pour votre inscription au cycle de conférences «\u00a0{series}\u00a0», organisé par {organiser}.',
  'confirm.intro.virtual-dialogue': 'Merci pour votre inscription au dialogue virtuel «\u00a0{series}\u00a0», organisé par {organiser}.',
  'confirm.ask': 'Veuillez confirmer qu’il s’agit bien de votre adresse\u00a0: votre inscription ne sera valable qu’une fois confirmée.',
  'confirm.button': 'Confirmer mon inscription',
  'confirm.linkIntro': 'Pour confirmer, ouvrez ce lien\u00a0:',
  'confirm.sessionsHeading': 'Séances',
  'confirm.timesNote': 'Les horaires sont indiqués dans votre fuseau horaire, {zone}.',
  'confirm.noSessions': 'Les séances seront annoncées ultérieurement.',
  'confirm.cancelled': 'Annulée\u00a0: {session}',
  'confirm.ignore': 'Si cette inscription ne vient pas de vous, ignorez ce message\u00a0: elle ne sera pas enregistrée et vous ne recevrez plus de courriel au sujet de cette série.',
  'confirm.replyNote': 'Des questions\u00a0? Répondez à ce message pour écrire à {organiser}.',
  'confirm.sentBy': 'Envoyé par Convene au nom de {organiser}.',
  'confirm.unsubscribeIntro': 'Vous ne souhaitez plus recevoir de courriels au sujet de cette série\u00a0?',
  'confirm.unsubscribeLink': 'Se désinscrire',
  'confirm.manageLink': 'Gérer mes inscriptions',

  'time.range': '{start}–{end}',
  'time.memberZone': '{date}, {range} (heure de {zone})',
  'time.memberZoneOvernight': '{startDate}, {start} – {endDate}, {end} (heure de {zone})',
  'time.homeZone': '{time} à {zone}',
  'time.homeZoneOtherDay': '{date}, {time} à {zone}',
  'time.withHome': '{member} · {home}',
};

/**
 * Arabic (Modern Standard), for the network's members in Haifa, Nazareth, Lod, Ramallah and
 * beyond. The wording addresses the reader without marking gender where Arabic allows it
 * (يُرجى + verbal noun, passive forms), as the members' pages do; titles stand in « ».
 */
const ar: Messages = {
  'confirm.subject': 'يُرجى تأكيد تسجيلك: {series}',
  'confirm.greeting': 'مرحبًا {name}،',
  'confirm.greetingNoName': 'مرحبًا،',
  'confirm.intro.lecture-series': 'شكرًا لتسجيلك في سلسلة المحاضرات «{series}»، من تنظيم {organiser}.',
  'confirm.intro.virtual-dialogue': 'شكرًا لتسجيلك في الحوار الافتراضي «{series}»، من تنظيم {organiser}.',
  'confirm.ask': 'يُرجى تأكيد أن هذا العنوان عنوانك: لا يُعتمد تسجيلك إلا بعد تأكيده.',
  'confirm.button': 'تأكيد تسجيلي',
  'confirm.linkIntro': 'للتأكيد، يُرجى فتح هذا الرابط:',
  'confirm.sessionsHeading': 'الجلسات',
  'confirm.timesNote': 'المواعيد معروضة بتوقيت منطقتك الزمنية، {zone}.',
  'confirm.noSessions': 'سيُعلن عن الجلسات لاحقًا.',
  'confirm.cancelled': 'ملغاة: {session}',
  'confirm.ignore': 'إذا لم يكن هذا التسجيل منك، فيُرجى تجاهل هذه الرسالة: لن يُسجَّل عنوانك، ولن تصلك رسائل أخرى بشأن هذه السلسلة.',
  'confirm.replyNote': 'لديك أسئلة؟ يمكنك الرد على هذه الرسالة للتواصل مع {organiser}.',
  'confirm.sentBy': 'أُرسلت هذه الرسالة من Convene نيابةً عن {organiser}.',
  'confirm.unsubscribeIntro': 'هل تريد إيقاف الرسائل بشأن هذه السلسلة؟',
  'confirm.unsubscribeLink': 'إلغاء الاشتراك',
  'confirm.manageLink': 'إدارة تسجيلاتي',

  'time.range': '{start}–{end}',
  'time.memberZone': '{date}، {range} (بتوقيت {zone})',
  'time.memberZoneOvernight': '{startDate}، {start} – {endDate}، {end} (بتوقيت {zone})',
  'time.homeZone': '{time} بتوقيت {zone}',
  'time.homeZoneOtherDay': '{date}، {time} بتوقيت {zone}',
  'time.withHome': '{member} · {home}',
};

/** Every language the mail is written in, by its (lower-case) BCP 47 tag. */
export const CATALOGUE: Readonly<Record<string, Messages>> = { en, es, fr, ar };

/**
 * The locale dates and times are formatted in when the member's tag names no region of the
 * chosen language: a bare `en` reads "Monday, 3 May 2027, 16:00" (day before month, 24-hour
 * clock) for a worldwide audience, not the US "Monday, May 3, 2027, 4:00 PM". A member whose
 * tag has a region (`en-US`, `es-419`) gets that region's formats, with this entry's numbering
 * system when their tag names none (see `translator()`).
 *
 * Arabic: `ar-u-nu-latn`, Arabic month and weekday names with Latin digits ("السبت، 27 مارس
 * 2027"). The members (Haifa, Nazareth, Lod, Ramallah) read Western digits in mail from
 * international organisations, the members' pages write dates so (functions/pages/texts), and
 * times beside zone names and URLs read more easily so. It is pinned, not left to ICU: which
 * digits a bare `ar` gets has changed between ICU releases (Arabic-Indic, ٢٧, in older ones;
 * Latin in ICU 78), and regional tags (`ar-PS`, `ar-IL`, `ar-EG`) give Arabic-Indic in both.
 */
export const FORMAT_LOCALES: Readonly<Record<string, string>> = { en: 'en-GB', es: 'es', fr: 'fr', ar: 'ar-u-nu-latn' };

/** The language of last resort. */
export const DEFAULT_LANGUAGE = 'en';

export type MessageParams = Readonly<Record<string, string>>;

export interface Translator<Id extends string = MessageId> {
  /** The catalogue language chosen (`en`, `es`, `fr`, `ar`...). */
  readonly language: string;
  /**
   * The locale to format dates and numbers in: the member's own tag when it is of the chosen
   * language (`es-419`, `en-US`, `ar-PS-u-nu-latn`), else that language's FORMAT_LOCALES entry.
   */
  readonly locale: string;
  /** The message, its placeholders filled in; throws if a placeholder has no value. */
  t(id: Id, params?: MessageParams): string;
  /** The same, split at the placeholders, for renderers that treat the values apart (HTML). */
  parts(id: Id, params?: MessageParams): readonly MessagePart[];
}

/**
 * A message as HTML: the catalogue text escaped, and each value escaped and isolated in a
 * <bdi> so that a right-to-left title (Hebrew, Arabic) does not reorder the sentence around it.
 */
export function htmlMessage<Id extends string>(tr: Pick<Translator<Id>, 'parts'>, id: Id, params?: MessageParams): string {
  return tr
    .parts(id, params)
    .map((part) => ('text' in part ? escapeHtml(part.text) : `<bdi>${escapeHtml(part.value)}</bdi>`))
    .join('');
}

/** `t` and `parts` over one language's table of messages (this catalogue's or another mail's). */
export function messageFunctions<Id extends string>(messages: Readonly<Record<Id, string>>): Pick<Translator<Id>, 't' | 'parts'> {
  const parts = (id: Id, params: MessageParams = {}): MessagePart[] => templateParts(id, messages[id], params);
  return { parts, t: (id, params) => parts(id, params).map((part) => ('text' in part ? part.text : part.value)).join('') };
}

export type MessagePart = TemplatePart<string>;

/**
 * A translator for a member: their language if the catalogue has it, else a more general tag
 * of it (`es-419` → `es`), then each of `fallbackLanguages` in turn the same way (pass the
 * series' languages: its first language comes first), then English.
 */
export function translator(language: string, fallbackLanguages: readonly string[] = []): Translator {
  const wanted = [language, ...fallbackLanguages, DEFAULT_LANGUAGE];
  let chosen = DEFAULT_LANGUAGE;
  for (const tag of wanted) {
    const match = catalogueLanguage(tag);
    if (match) {
      chosen = match;
      break;
    }
  }
  const messages = CATALOGUE[chosen]!;
  const memberTag = canonicalTag(language);
  const formatLocale = FORMAT_LOCALES[chosen] ?? chosen;
  const locale = memberTag && memberTag.includes('-') && primarySubtag(memberTag) === primarySubtag(chosen) && isFormattable(memberTag)
    ? withNumberingSystemOf(memberTag, formatLocale)
    : formatLocale;
  return { language: chosen, locale, ...messageFunctions(messages) };
}

/** The catalogue language for a tag, or undefined: the tag, then ever shorter prefixes of it. */
export function catalogueLanguage(tag: string): string | undefined {
  const canonical = canonicalTag(tag)?.toLowerCase();
  if (!canonical) return undefined;
  const subtags = canonical.split('-');
  for (let n = subtags.length; n > 0; n--) {
    const prefix = subtags.slice(0, n).join('-');
    if (Object.hasOwn(CATALOGUE, prefix)) return prefix;
  }
  // A regional table (say `pt-br`) still serves a bare `pt`.
  return Object.keys(CATALOGUE).find((key) => primarySubtag(key) === subtags[0]);
}

function canonicalTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined; // not a well-formed BCP 47 tag
  }
}

function primarySubtag(tag: string): string {
  return tag.toLowerCase().split('-')[0]!;
}

/**
 * The member's regional tag with the numbering system of the language's format locale, when
 * their tag names none of its own: `ar-PS` → `ar-PS-u-nu-latn` (Levantine month names, Latin
 * digits, as for a bare `ar`), while `ar-u-nu-arab` keeps Arabic-Indic digits. Unchanged when
 * the format locale names no numbering system (`en-GB`, `es`, `fr`).
 */
function withNumberingSystemOf(tag: string, formatLocale: string): string {
  try {
    const numberingSystem = new Intl.Locale(formatLocale).numberingSystem;
    const member = new Intl.Locale(tag);
    if (!numberingSystem || member.numberingSystem) return tag;
    return new Intl.Locale(tag, { numberingSystem }).toString();
  } catch {
    return tag;
  }
}

function isFormattable(tag: string): boolean {
  return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
}
