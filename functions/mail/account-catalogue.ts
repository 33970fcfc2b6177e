/**
 * The messages of the mails about a member's own registrations (./account-mail.ts): a change
 * someone asked for with their address, the welcome of a member an organiser registered, and a
 * fresh "manage my registrations" link. Same pattern as ./reminder-catalogue.ts: English
 * defines the ids, every other language must supply each of them.
 */
import type { Translator } from './catalogue.js';
import { tablesTranslator } from './member-mail-parts.js';

const en = {
  'account.greeting': 'Hello {name},',
  'account.greetingNoName': 'Hello,',
  'change.subject': 'Did you ask to change your registration? {series}',
  'change.intro': 'Someone, maybe you, asked to change your registration for “{series}”, organised by {organiser}:',
  'change.sessions': 'Add these sessions:',
  'change.language': 'Language: {language}',
  'change.timeZone': 'Time zone: {zone}',
  'change.ask': 'Nothing changes unless you accept it. If it was you, review and accept the change:',
  'change.button': 'Review the change',
  'change.ignore': 'If it was not you, ignore this mail: your registration stays as it is.',
  'welcome.subject': 'You are registered: {series}',
  'welcome.intro': '{organiser} registered you for “{series}”.',
  'welcome.sessionsHeading': 'Sessions',
  'welcome.timesNote': 'Times are shown in your time zone, {zone}.',
  'welcome.noSessions': 'The sessions will be announced later.',
  'welcome.feedNew': 'Add the sessions to your calendar: subscribe to your personal calendar link (it keeps itself up to date; keep it to yourself):',
  'welcome.feedKnown': 'The sessions are also in your personal calendar link, the one you already use. Lost it? Get a new one from your page.',
  'welcome.manage': 'Choose your sessions, language, time zone and reminders on your page:',
  'welcome.leave': 'Do not want to take part? Leave this series:',
  'manage.subject': 'Your link to manage your registrations',
  'manage.intro': 'Here is the link to your page, where you can see and change your registrations, your language, time zone and reminders, stop mail, or get a new calendar link:',
  'manage.button': 'Open my page',
  'manage.lifetime': 'The link works for 30 days. Every mail from us carries a fresh one.',
  'manage.ignore': 'If you did not ask for it, ignore this mail: nothing changes.',
  'account.sentBy': 'Sent by Convene.',
  'account.sentByOrganiser': 'Sent by Convene on behalf of {organiser}.',
  'account.replyNote': 'Questions? Reply to this mail to reach {organiser}.',
  'account.unsubscribeIntro': 'No more mail about this series?',
  'account.unsubscribeLink': 'Unsubscribe',
  'account.manageLink': 'Manage my registrations',
} as const;

export type AccountMessageId = keyof typeof en;
export type AccountMessages = Readonly<Record<AccountMessageId, string>>;

const es: AccountMessages = {
  'account.greeting': 'Hola, {name}:',
  'account.greetingNoName': 'Hola:',
  'change.subject': '¿Pidió cambiar su inscripción? {series}',
  'change.intro': 'Alguien, quizá usted, pidió cambiar su inscripción en «{series}», organizado por {organiser}:',
  'change.sessions': 'Añadir estas sesiones:',
  'change.language': 'Idioma: {language}',
  'change.timeZone': 'Zona horaria: {zone}',
  'change.ask': 'Nada cambia si usted no lo acepta. Si fue usted, revise y acepte el cambio:',
  'change.button': 'Revisar el cambio',
  'change.ignore': 'Si no fue usted, ignore este mensaje: su inscripción queda como está.',
  'welcome.subject': 'Está inscrito: {series}',
  'welcome.intro': '{organiser} le inscribió en «{series}».',
  'welcome.sessionsHeading': 'Sesiones',
  'welcome.timesNote': 'Los horarios se muestran en su zona horaria, {zone}.',
  'welcome.noSessions': 'Las sesiones se anunciarán más adelante.',
  'welcome.feedNew': 'Añada las sesiones a su calendario: suscríbase a su enlace de calendario personal (se actualiza solo; no lo comparta):',
  'welcome.feedKnown': 'Las sesiones también están en su enlace de calendario personal, el que ya usa. ¿Lo perdió? Pida uno nuevo en su página.',
  'welcome.manage': 'Elija sus sesiones, idioma, zona horaria y recordatorios en su página:',
  'welcome.leave': '¿No desea participar? Salga de esta serie:',
  'manage.subject': 'Su enlace para gestionar sus inscripciones',
  'manage.intro': 'Este es el enlace a su página, donde puede ver y cambiar sus inscripciones, su idioma, zona horaria y recordatorios, dejar de recibir correos u obtener un nuevo enlace de calendario:',
  'manage.button': 'Abrir mi página',
  'manage.lifetime': 'El enlace funciona durante 30 días. Cada correo nuestro trae uno nuevo.',
  'manage.ignore': 'Si usted no lo pidió, ignore este mensaje: nada cambia.',
  'account.sentBy': 'Enviado por Convene.',
  'account.sentByOrganiser': 'Enviado por Convene en nombre de {organiser}.',
  'account.replyNote': '¿Preguntas? Responda a este mensaje para escribir a {organiser}.',
  'account.unsubscribeIntro': '¿No desea recibir más correos sobre esta serie?',
  'account.unsubscribeLink': 'Darse de baja',
  'account.manageLink': 'Gestionar mis inscripciones',
};

const fr: AccountMessages = {
  'account.greeting': 'Bonjour {name},',
  'account.greetingNoName': 'Bonjour,',
  'change.subject': 'Avez-vous demandé à modifier votre inscription\u00a0? {series}',
  'change.intro': 'Quelqu’un, peut-être vous, a demandé à modifier votre inscription à «\u00a0{series}\u00a0», organisé par {organiser}\u00a0:',
  'change.sessions': 'Ajouter ces séances\u00a0:',
  'change.language': 'Langue\u00a0: {language}',
  'change.timeZone': 'Fuseau horaire\u00a0: {zone}',
  'change.ask': 'Rien ne change sans votre accord. Si c’était vous, vérifiez et acceptez la modification\u00a0:',
  'change.button': 'Voir la modification',
  'change.ignore': 'Si ce n’était pas vous, ignorez ce message\u00a0: votre inscription reste telle quelle.',
  'welcome.subject': 'Vous êtes inscrit·e\u00a0: {series}',
  'welcome.intro': '{organiser} vous a inscrit·e à «\u00a0{series}\u00a0».',
  'welcome.sessionsHeading': 'Séances',
  'welcome.timesNote': 'Les horaires sont indiqués dans votre fuseau horaire, {zone}.',
  'welcome.noSessions': 'Les séances seront annoncées plus tard.',
  'welcome.feedNew': 'Ajoutez les séances à votre agenda\u00a0: abonnez-vous à votre lien d’agenda personnel (il se met à jour tout seul\u00a0; gardez-le pour vous)\u00a0:',
  'welcome.feedKnown': 'Les séances figurent aussi dans votre lien d’agenda personnel, celui que vous utilisez déjà. Vous l’avez perdu\u00a0? Demandez-en un nouveau sur votre page.',
  'welcome.manage': 'Choisissez vos séances, votre langue, votre fuseau horaire et vos rappels sur votre page\u00a0:',
  'welcome.leave': 'Vous ne souhaitez pas participer\u00a0? Quittez cette série\u00a0:',
  'manage.subject': 'Votre lien pour gérer vos inscriptions',
  'manage.intro': 'Voici le lien vers votre page, où vous pouvez voir et modifier vos inscriptions, votre langue, votre fuseau horaire et vos rappels, arrêter les messages ou obtenir un nouveau lien d’agenda\u00a0:',
  'manage.button': 'Ouvrir ma page',
  'manage.lifetime': 'Le lien est valable 30 jours. Chacun de nos messages en contient un nouveau.',
  'manage.ignore': 'Si vous ne l’avez pas demandé, ignorez ce message\u00a0: rien ne change.',
  'account.sentBy': 'Envoyé par Convene.',
  'account.sentByOrganiser': 'Envoyé par Convene pour le compte de {organiser}.',
  'account.replyNote': 'Des questions\u00a0? Répondez à ce message pour joindre {organiser}.',
  'account.unsubscribeIntro': 'Vous ne souhaitez plus recevoir de messages sur cette série\u00a0?',
  'account.unsubscribeLink': 'Se désinscrire',
  'account.manageLink': 'Gérer mes inscriptions',
};

const ar: AccountMessages = {
  'account.greeting': 'مرحبًا {name}،',
  'account.greetingNoName': 'مرحبًا،',
  'change.subject': 'هل طلبت تغيير تسجيلك؟ {series}',
  'change.intro': 'طلب شخصٌ ما، ربما أنت، تغيير تسجيلك في «{series}»، من تنظيم {organiser}:',
  'change.sessions': 'إضافة هذه الجلسات:',
  'change.language': 'اللغة: {language}',
  'change.timeZone': 'المنطقة الزمنية: {zone}',
  'change.ask': 'لن يتغير شيء دون موافقتك. إن كان الطلب منك، فيُرجى مراجعة التغيير وقبوله:',
  'change.button': 'مراجعة التغيير',
  'change.ignore': 'إن لم يكن الطلب منك، فيُرجى تجاهل هذه الرسالة: سيبقى تسجيلك كما هو.',
  'welcome.subject': 'تم تسجيلك: {series}',
  'welcome.intro': 'تم تسجيلك في «{series}» من قِبل {organiser}.',
  'welcome.sessionsHeading': 'الجلسات',
  'welcome.timesNote': 'المواعيد معروضة بتوقيت منطقتك الزمنية، {zone}.',
  'welcome.noSessions': 'سيُعلن عن الجلسات لاحقًا.',
  'welcome.feedNew': 'يمكنك إضافة الجلسات إلى تقويمك بالاشتراك في رابط تقويمك الشخصي (يُحدَّث تلقائيًا، ويُرجى عدم مشاركته مع أحد):',
  'welcome.feedKnown': 'الجلسات موجودة أيضًا في رابط تقويمك الشخصي الذي تستخدمه حاليًا. هل فقدته؟ يمكنك الحصول على رابط جديد من صفحتك.',
  'welcome.manage': 'يمكنك اختيار جلساتك ولغتك ومنطقتك الزمنية وتذكيراتك من صفحتك:',
  'welcome.leave': 'هل تفضّل عدم المشاركة؟ يمكنك الانسحاب من هذه السلسلة:',
  'manage.subject': 'رابطك لإدارة تسجيلاتك',
  'manage.intro': 'إليك رابط صفحتك، حيث يمكنك الاطلاع على تسجيلاتك وتغييرها، وتغيير لغتك ومنطقتك الزمنية وتذكيراتك، وإيقاف الرسائل، أو الحصول على رابط تقويم جديد:',
  'manage.button': 'فتح صفحتي',
  'manage.lifetime': 'يبقى الرابط صالحًا مدة 30 يومًا، وتحمل كل رسالة منا رابطًا جديدًا.',
  'manage.ignore': 'إن لم يكن الطلب منك، فيُرجى تجاهل هذه الرسالة: لن يتغير شيء.',
  'account.sentBy': 'أُرسلت هذه الرسالة من Convene.',
  'account.sentByOrganiser': 'أُرسلت هذه الرسالة من Convene نيابةً عن {organiser}.',
  'account.replyNote': 'لديك أسئلة؟ يمكنك الرد على هذه الرسالة للتواصل مع {organiser}.',
  'account.unsubscribeIntro': 'هل تريد إيقاف الرسائل بشأن هذه السلسلة؟',
  'account.unsubscribeLink': 'إلغاء الاشتراك',
  'account.manageLink': 'إدارة تسجيلاتي',
};

/** By the same (lower-case) tags as ./catalogue.ts's CATALOGUE. */
export const ACCOUNT_CATALOGUE: Readonly<Record<string, AccountMessages>> = { en, es, fr, ar };

export type AccountTranslator = Translator<AccountMessageId>;

/** Same fallbacks as `translator()`: the member's language, then `fallbackLanguages`, then English. */
export const accountTranslator = tablesTranslator(ACCOUNT_CATALOGUE, 'account');
