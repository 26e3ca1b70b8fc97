/**
 * The message catalogues: English, Russian and Kazakh (Cyrillic), reviewed wording kept in the
 * repository, never produced at run time. Two parts:
 *
 * - `text`: the fixed text of the reports (typed: a catalogue missing a key does not compile);
 * - `rules`: each rule's title, description and remediation, beside the SHA-256 of the English
 *   metadata it translates — when a rule's `# METADATA` changes, its translation no longer matches
 *   and the English text is used until the translation is reviewed (a test fails meanwhile).
 *
 * Finding messages are composed in English by the policies (with their parameters already filled
 * in), so they are shown as written; translating them needs message ids and parameters in the
 * findings the policies return.
 */
import { createHash } from 'node:crypto';
import type { CheckResult, Finding, RuleMeta } from '../report';
import en from './en.json';
import kk from './kk.json';
import ru from './ru.json';

/**
 * English: the fixed text of the evidence pack. Rule titles, descriptions and remediations in
 * English are the rules' own `# METADATA`; en.json does not repeat them. `{name}` is a parameter.
 */
export const EN = en.text;
export type TextKey = keyof typeof EN;

// Typed assignments: a catalogue missing a key of en.json does not compile.
const RU_TEXT: Readonly<Record<TextKey, string>> = ru.text;
const KK_TEXT: Readonly<Record<TextKey, string>> = kk.text;
const RU_RULES: Readonly<Record<string, RuleText>> = ru.rules;
const KK_RULES: Readonly<Record<string, RuleText>> = kk.rules;

export const LANGUAGES = ['en', 'ru', 'kk'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(s: string): s is Language {
  return (LANGUAGES as readonly string[]).includes(s);
}

/** A rule's text in one language, and the English it was translated from (by hash). */
export interface RuleText {
  readonly title: string;
  readonly description: string;
  readonly remediation: string;
  /** `ruleSourceHash` of the English metadata this translation was made from. */
  readonly source: string;
}

export interface Catalogue {
  readonly language: Language;
  /** BCP 47 tag for `<html lang>`. */
  readonly tag: string;
  readonly text: Readonly<Record<TextKey, string>>;
  readonly rules: Readonly<Record<string, RuleText>>;
}

const CATALOGUES: Readonly<Record<Language, Catalogue>> = {
  en: { language: 'en', tag: 'en', text: EN, rules: {} },
  ru: { language: 'ru', tag: 'ru', text: RU_TEXT, rules: RU_RULES },
  kk: { language: 'kk', tag: 'kk', text: KK_TEXT, rules: KK_RULES },
};

export function catalogue(lang: Language): Catalogue {
  return CATALOGUES[lang];
}

/** `{name}` parameters filled in; a parameter not given stays as written (a test looks for those). */
export function format(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export type Translate = (key: TextKey, params?: Readonly<Record<string, string | number>>) => string;

export function translator(lang: Language): Translate {
  const text = catalogue(lang).text;
  return (key, params) => {
    const template = text[key] ?? EN[key];
    // a key built at run time (a kind the pack reports) that no catalogue has: say which
    if (template === undefined) throw new Error(`no text for "${String(key)}" in the message catalogues`);
    return format(template, params);
  };
}

/** The hash a translation records of the English metadata it was made from (12 hex digits). */
export function ruleSourceHash(rule: Pick<RuleMeta, 'title' | 'description' | 'remediation'>): string {
  return createHash('sha256').update(`${rule.title}\0${rule.description}\0${rule.remediation}`).digest('hex').slice(0, 12);
}

/** The rule's translation in `lang` when there is one made from its current English metadata. */
export function ruleText(rule: RuleMeta, lang: Language): RuleText | undefined {
  if (lang === 'en') return undefined;
  const t = catalogue(lang).rules[rule.id];
  return t && t.source === ruleSourceHash(rule) ? t : undefined;
}

/** Rule metadata with title, description and remediation in `lang` (English where no current translation exists). */
export function localizeRules(rules: readonly RuleMeta[], lang: Language): RuleMeta[] {
  return rules.map((r) => {
    const t = ruleText(r, lang);
    return t ? { ...r, title: t.title, description: t.description, remediation: t.remediation } : r;
  });
}

/** A check result with each finding's title and remediation in `lang` (where its rule has a current translation). */
export function localizeResult(result: CheckResult, rules: readonly RuleMeta[], lang: Language): CheckResult {
  if (lang === 'en') return result;
  const byId = new Map(rules.map((r) => [r.id, ruleText(r, lang)]));
  const tr = <T extends Finding>(f: T): T => {
    const t = byId.get(f.rule);
    return t ? { ...f, title: t.title, remediation: t.remediation } : f;
  };
  return { ...result, deny: result.deny.map(tr), warn: result.warn.map(tr), waived: result.waived.map(tr) };
}
