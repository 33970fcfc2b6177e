/**
 * The messages of the "recording available" mail (./recording-mail.ts). Same pattern as
 * ./reminder-catalogue.ts: English defines the ids, every other language must supply each of
 * them (the type says so), `{placeholders}` are filled in by `messageFunctions()`.
 *
 * The values filled in are already localised by the mail: `{session}` and `{series}` (titles
 * in the member's language), `{size}` ("1.2 GB", "350 Mo"). The language is chosen exactly as
 * ./catalogue.ts's `translator()` chooses it, so this catalogue must have a table for every
 * language that one has; `recordingTranslator` throws if not (a test checks all of them).
 */
import type { Translator } from './catalogue.js';
import { tablesTranslator } from './member-mail-parts.js';

const en = {
  'recording.subject': 'Recording available: {session}',
  'recording.greeting': 'Hello {name},',
  'recording.greetingNoName': 'Hello,',
  'recording.subject.attended': 'Thank you for joining: the recording of {session}',
  'recording.intro.attended': 'Thank you for joining “{session}”, part of “{series}”. Here is the recording, to watch again or share what you learned.',
  'recording.subject.missed': 'You missed {session}: watch the recording',
  'recording.intro.missed': 'We missed you at “{session}”, part of “{series}”. You can watch the recording now.',
  'recording.intro': 'The recording of “{session}”, part of “{series}”, is now available.',
  'recording.when': 'Took place',
  'recording.filesHeading': 'Files',
  'recording.file.recording': 'Watch the recording',
  'recording.file.captions': 'Captions (WebVTT)',
  'recording.file.transcript': 'Transcript',
  'recording.file.slides': 'Slides (PDF)',
  'recording.fileDetails': '{fileName}, {size}',
  'recording.archive': 'All recordings of “{series}”',
  'recording.replyNote': 'Questions? Reply to this mail to reach {organiser}.',
  'recording.sentBy': 'Sent by Convene on behalf of {organiser}.',
  'recording.unsubscribeIntro': 'No more mail about this series?',
  'recording.unsubscribeLink': 'Unsubscribe',
  'recording.manageLink': 'Manage my registrations',
} as const;

export type RecordingMessageId = keyof typeof en;
export type RecordingMessages = Readonly<Record<RecordingMessageId, string>>;

const es: RecordingMessages = {
  'recording.subject': 'Grabación disponible: {session}',
  'recording.greeting': 'Hola, {name}:',
  'recording.greetingNoName': 'Hola:',
  'recording.subject.attended': 'Gracias por participar: la grabación de {session}',
  'recording.intro.attended': 'Gracias por participar en «{session}», que forma parte de «{series}». Aquí tiene la grabación, para volver a verla o compartir lo aprendido.',
  'recording.subject.missed': 'Se perdió {session}: vea la grabación',
  'recording.intro.missed': 'Le echamos de menos en «{session}», que forma parte de «{series}». Ya puede ver la grabación.',
  'recording.intro': 'Ya está disponible la grabación de «{session}», que forma parte de «{series}».',
  'recording.when': 'Se celebró',
  'recording.filesHeading': 'Archivos',
  'recording.file.recording': 'Ver la grabación',
  'recording.file.captions': 'Subtítulos (WebVTT)',
  'recording.file.transcript': 'Transcripción',
  'recording.file.slides': 'Diapositivas (PDF)',
  'recording.fileDetails': '{fileName}, {size}',
  'recording.archive': 'Todas las grabaciones de «{series}»',
  'recording.replyNote': '¿Preguntas? Responda a este mensaje para escribir a {organiser}.',
  'recording.sentBy': 'Enviado por Convene en nombre de {organiser}.',
  'recording.unsubscribeIntro': '¿No desea recibir más correos sobre esta serie?',
  'recording.unsubscribeLink': 'Darse de baja',
  'recording.manageLink': 'Gestionar mis inscripciones',
};

const fr: RecordingMessages = {
  'recording.subject': 'Enregistrement disponible\u00a0: {session}',
  'recording.greeting': 'Bonjour {name},',
  'recording.greetingNoName': 'Bonjour,',
  'recording.subject.attended': 'Merci de votre participation\u00a0: l’enregistrement de {session}',
  'recording.intro.attended': 'Merci d’avoir participé à «\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0». Voici l’enregistrement, pour le revoir ou partager ce que vous avez appris.',
  'recording.subject.missed': 'Vous avez manqué {session}\u00a0: regardez l’enregistrement',
  'recording.intro.missed': 'Vous n’avez pas pu assister à «\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0». Vous pouvez maintenant regarder l’enregistrement.',
  'recording.intro': 'L’enregistrement de «\u00a0{session}\u00a0», qui fait partie de «\u00a0{series}\u00a0», est maintenant disponible.',
  'recording.when': 'Date de la séance',
  'recording.filesHeading': 'Fichiers',
  'recording.file.recording': 'Regarder l’enregistrement',
  'recording.file.captions': 'Sous-titres (WebVTT)',
  'recording.file.transcript': 'Transcription',
  'recording.file.slides': 'Diapositives (PDF)',
  'recording.fileDetails': '{fileName}, {size}',
  'recording.archive': 'Tous les enregistrements de «\u00a0{series}\u00a0»',
  'recording.replyNote': 'Des questions\u00a0? Répondez à ce message pour écrire à {organiser}.',
  'recording.sentBy': 'Envoyé par Convene au nom de {organiser}.',
  'recording.unsubscribeIntro': 'Vous ne souhaitez plus recevoir de messages sur cette série\u00a0?',
  'recording.unsubscribeLink': 'Se désinscrire',
  'recording.manageLink': 'Gérer mes inscriptions',
};

const ar: RecordingMessages = {
  'recording.subject': 'التسجيل متاح: {session}',
  'recording.greeting': 'مرحبًا {name}،',
  'recording.greetingNoName': 'مرحبًا،',
  'recording.subject.attended': 'شكرًا لمشاركتك: تسجيل {session}',
  'recording.intro.attended': 'شكرًا لمشاركتك في «{session}»، ضمن «{series}». إليك التسجيل لمشاهدته مجددًا أو لمشاركة ما تعلّمته.',
  'recording.subject.missed': 'فاتك حضور {session}؟ التسجيل متاح الآن',
  'recording.intro.missed': 'افتقدنا حضورك في «{session}»، ضمن «{series}». يمكنك مشاهدة التسجيل الآن.',
  'recording.intro': 'أصبح تسجيل جلسة «{session}»، ضمن «{series}»، متاحًا الآن.',
  'recording.when': 'موعد الجلسة',
  'recording.filesHeading': 'الملفات',
  'recording.file.recording': 'مشاهدة التسجيل',
  'recording.file.captions': 'الترجمة المرئية (WebVTT)',
  'recording.file.transcript': 'النص المكتوب',
  'recording.file.slides': 'الشرائح (PDF)',
  'recording.fileDetails': '{fileName}، {size}',
  'recording.archive': 'جميع تسجيلات «{series}»',
  'recording.replyNote': 'لديك أسئلة؟ يمكنك الرد على هذه الرسالة للتواصل مع {organiser}.',
  'recording.sentBy': 'أُرسلت هذه الرسالة من Convene نيابةً عن {organiser}.',
  'recording.unsubscribeIntro': 'هل تريد إيقاف الرسائل بشأن هذه السلسلة؟',
  'recording.unsubscribeLink': 'إلغاء الاشتراك',
  'recording.manageLink': 'إدارة تسجيلاتي',
};

/** By the same (lower-case) tags as ./catalogue.ts's CATALOGUE. */
export const RECORDING_CATALOGUE: Readonly<Record<string, RecordingMessages>> = { en, es, fr, ar };

export type RecordingTranslator = Translator<RecordingMessageId>;

const translatorFrom = tablesTranslator(RECORDING_CATALOGUE, 'recording');

/** Same fallbacks as `translator()`: the member's language, then `fallbackLanguages`, then English. */
export function recordingTranslator(language: string, fallbackLanguages: readonly string[] = []): RecordingTranslator {
  return translatorFrom(language, fallbackLanguages);
}
