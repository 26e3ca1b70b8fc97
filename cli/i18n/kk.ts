import { EN, type TextKey } from './en';
import type { RuleText } from './index';
export const KK_TEXT: Readonly<Record<TextKey, string>> = { ...EN };
export const KK_RULES: Readonly<Record<string, RuleText>> = {};
