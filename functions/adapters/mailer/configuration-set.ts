/**
 * The environment variable through which mail-sending functions learn the SES configuration
 * set to send with: it publishes bounces and complaints to the feedback topic
 * (infra/stack/ses-feedback.ts), which suppresses those addresses.
 */
export const MAIL_CONFIGURATION_SET_ENV = 'MAIL_CONFIGURATION_SET';
