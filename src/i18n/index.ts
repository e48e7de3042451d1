import { en, type Messages } from './en.ts';
import { es } from './es.ts';
import { ownValue } from '../core/text.ts';

export type { Messages };

/**
 * What to say, kept instead of the words: a notice or an outcome that stays on screen is put in words when it is
 * drawn, so a change of `lang` redraws it in the new language.
 */
export type Localized = (messages: Messages) => string;

export const CATALOGUES: Readonly<Record<string, Messages>> = { en, es };

/** The catalogue for a BCP 47 tag (`es-AR` → `es`), English when there is none (`constructor` included). */
export function messagesFor(lang: string | undefined): { lang: string; messages: Messages } {
  const base = (lang ?? '').trim().toLowerCase().split('-')[0] ?? '';
  const messages = ownValue(CATALOGUES, base);
  return messages ? { lang: (lang ?? base).trim(), messages } : { lang: 'en', messages: en };
}

/** A transcript speaker tag (`doctor`, `patient`, or whatever the transcript says) in the UI language, else as written. */
export function speakerLabel(messages: Messages, speaker: string): string {
  return ownValue(messages.speaker, speaker) ?? speaker;
}

/** Heidi's relevance (`HIGH`, `MEDIUM`, `LOW`, or anything else it sends) in the UI language, else as written. */
export function relevanceLabel(messages: Messages, relevance: string): string {
  return ownValue(messages.relevanceValue, relevance) ?? relevance;
}

/** The notices for what Heidi sent that could not be read (`CodingModel.dropped`); none when nothing was lost. */
export function droppedNotices(dropped: {
  readonly entities: number;
  readonly similarCodes: number;
  readonly evidence: number;
  readonly fields: number;
}): Localized[] {
  const details = dropped.similarCodes + dropped.evidence + dropped.fields;
  return [
    ...(dropped.entities > 0 ? [(m: Messages) => m.droppedEntities(dropped.entities)] : []),
    ...(details > 0 ? [(m: Messages) => m.droppedDetails(details)] : []),
  ];
}
