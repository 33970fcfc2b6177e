/** What organisers and the system can ask of a series stream. */
import type { CertificateRule } from '../certificates/rule.js';
import type { LocalizedText } from '../shared/values.js';
import type { DialogueWindow, RecordingAsset, SeriesKind } from './events.js';

/** The organiser of a series: `email` private, `contactEmail` (optional) what the public sees. */
export interface OrganiserInput {
  name: string;
  email: string;
  contactEmail?: string;
}
import type { FileFormat } from './recording-files.js';

export interface SeriesDetailsInput {
  title?: LocalizedText;
  description?: LocalizedText;
  timeZone?: string;
  languages?: string[];
  organiser?: OrganiserInput;
  reminderOffsets?: string[];
  window?: DialogueWindow;
  certificateRule?: CertificateRule;
}

export interface SpeakerInput {
  name: string;
  affiliation?: string;
  bio?: string;
}

/**
 * When a session starts: a wall-clock time in the series' home zone (`2027-05-03T10:00`)
 * or an instant with an offset (`2027-05-03T14:00:00Z`, `2027-05-03T10:00:00-04:00`).
 */
export type StartInput = string;

export type SeriesCommand =
  | {
      type: 'CreateSeries';
      seriesId: string;
      kind: SeriesKind;
      title: LocalizedText;
      description?: LocalizedText;
      timeZone: string;
      languages: string[];
      organiser: OrganiserInput;
      reminderOffsets?: string[];
      window?: DialogueWindow;
      certificateRule?: CertificateRule;
    }
  | ({ type: 'ChangeSeriesDetails'; seriesId: string } & SeriesDetailsInput)
  | {
      type: 'ScheduleSession';
      seriesId: string;
      sessionId: string;
      title: LocalizedText;
      description?: LocalizedText;
      start: StartInput;
      /** Either a duration or an end (same forms as start). */
      durationMinutes?: number;
      end?: StartInput;
      /** Defaults to the series' first language. */
      language?: string;
      speakers?: SpeakerInput[];
      joinUrl?: string;
      capacity?: number;
    }
  | {
      type: 'RescheduleSession';
      seriesId: string;
      sessionId: string;
      start?: StartInput;
      /** Keeps the current duration when neither is given. */
      durationMinutes?: number;
      end?: StartInput;
    }
  | {
      type: 'ChangeSessionDetails';
      seriesId: string;
      sessionId: string;
      title?: LocalizedText;
      description?: LocalizedText | null;
      language?: string;
      speakers?: SpeakerInput[];
      joinUrl?: string | null;
      capacity?: number | null;
    }
  | { type: 'CancelSession'; seriesId: string; sessionId: string; reason: string }
  | {
      type: 'RequestRecordingUpload';
      seriesId: string;
      sessionId: string;
      uploadId: string;
      /** Defaults to what the content type is (video/* and audio/*: the recording). */
      asset?: RecordingAsset;
      fileName: string;
      contentType: string;
      size: number;
      objectKey: string;
      expiresAt: string;
      /** SHA-256 of the file, base64, if the organiser announces it. */
      checksum?: string;
    }
  | {
      /** What arrived in storage; the decider compares it with what was announced. */
      type: 'ArchiveRecordingUpload';
      seriesId: string;
      sessionId: string;
      uploadId: string;
      objectKey: string;
      size: number;
      contentType: string;
      checksum: string;
      versionId?: string;
      /** What the first bytes show the file to be. */
      format: FileFormat;
    }
  | { type: 'ExpireRecordingUpload'; seriesId: string; sessionId: string; uploadId: string; now: string }
  | { type: 'PublishRecording'; seriesId: string; sessionId: string; at?: string; now: string }
  | { type: 'PublishDueRecording'; seriesId: string; sessionId: string; now: string }
  | { type: 'WithdrawRecording'; seriesId: string; sessionId: string; reason: string };
