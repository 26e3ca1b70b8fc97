/** The sections of the evidence pack, in order: their anchors and headings (HTML and Markdown alike). */
import type { TextKey } from '../i18n';

export const SECTIONS: ReadonlyArray<{ readonly id: string; readonly title: TextKey }> = [
  { id: 'summary', title: 'section.summary' },
  { id: 'inventory', title: 'section.inventory' },
  { id: 'flows', title: 'section.flows' },
  { id: 'findings', title: 'section.findings' },
  { id: 'waivers', title: 'section.waivers' },
  { id: 'erasure', title: 'section.erasure' },
  { id: 'breach', title: 'section.breach' },
  { id: 'provenance', title: 'section.provenance' },
];
