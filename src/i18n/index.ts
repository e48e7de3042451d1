import { en, type Messages } from './en.ts';
import { es } from './es.ts';

export type { Messages };

export const CATALOGUES: Readonly<Record<string, Messages>> = { en, es };

/** The catalogue for a BCP 47 tag (`es-AR` → `es`), English when there is none. */
export function messagesFor(lang: string | undefined): { lang: string; messages: Messages } {
  const base = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  const messages = CATALOGUES[base];
  return messages ? { lang: lang ?? base, messages } : { lang: 'en', messages: en };
}
