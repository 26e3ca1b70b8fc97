/**
 * Errors the command reports as exit status 2 with one line on stderr: bad arguments, and
 * inputs that cannot be used (plan/errors.ts InputError, policy load errors).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit statuses of DESIGN.md "Command". */
export const EXIT = { pass: 0, deny: 1, unusable: 2 } as const;

/** One line: no stack, no newlines. */
export function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}
