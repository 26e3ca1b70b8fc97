/**
 * The one error type for inputs a user gave us (plans, synth output, the sites registry,
 * waivers): it names the file and, where there is one, the field, so the command can print
 * a one-line reason without a stack trace.
 */
/** Lines of a message listing several problems; the rest are counted. */
export const MAX_MESSAGE_LINES = 5;

export class InputError extends Error {
  /** The file (or directory) the problem is in, as the user named it. */
  readonly file: string;
  /** The field inside the file, as a dotted path (`sites[1].jurisdiction`), when there is one. */
  readonly field?: string;
  /** What is wrong, without the file and field prefix. */
  readonly problem: string;

  /** Every problem found, when a validator reports several (the message has one line each). */
  readonly issues: readonly InputIssue[];

  constructor(file: string, field: string | undefined, problem: string, more: readonly InputIssue[] = []) {
    const issues = [{ field, problem }, ...more];
    const shown = issues.slice(0, MAX_MESSAGE_LINES).map((i) => formatIssue(file, i));
    if (issues.length > MAX_MESSAGE_LINES) shown.push(`${file}: and ${issues.length - MAX_MESSAGE_LINES} more problems`);
    super(shown.join('\n'));
    this.name = 'InputError';
    this.file = file;
    this.field = field;
    this.problem = problem;
    this.issues = issues;
  }

  /**
   * One error for several problems in one file: `issues` keeps them all, the message shows the
   * first five, one line each, then `and N more problems`.
   */
  static many(file: string, issues: readonly InputIssue[]): InputError {
    if (issues.length === 0) throw new Error('InputError.many needs at least one issue');
    return new InputError(file, issues[0].field, issues[0].problem, issues.slice(1));
  }
}

/** One problem in an input file. */
export interface InputIssue {
  readonly field?: string;
  readonly problem: string;
}

function formatIssue(file: string, i: InputIssue): string {
  return i.field ? `${file}: ${i.field}: ${i.problem}` : `${file}: ${i.problem}`;
}

/** Whether `e` is an InputError (also across module copies, which `instanceof` would miss). */
export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError || (e instanceof Error && e.name === 'InputError' && 'file' in e);
}

/** Joins path segments into the dotted form used in messages: `a.b[1].c`, `labels["residency.kz/site"]`. */
export function fieldPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
