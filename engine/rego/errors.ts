/** Errors with OPA's codes and a file:row:col location. */
import { PolicyEngineError } from '../engine';

export interface Location {
  readonly file: string;
  readonly row: number;
  readonly col: number;
}

/** A compile- or evaluation-time error; the message starts with `file:row:col: code: `. */
export class RegoError extends PolicyEngineError {
  readonly file?: string;
  readonly row?: number;
  readonly col?: number;
  /** The message without location and code. */
  readonly detail: string;
  /** `withCol: false` gives OPA's evaluation-time form `file:row: code: message`. */
  constructor(code: string, detail: string, loc?: Location, withCol = true) {
    super((loc ? (withCol ? `${loc.file}:${loc.row}:${loc.col}: ` : `${loc.file}:${loc.row}: `) : '') + `${code}: ${detail}`, code);
    this.name = 'RegoError';
    this.detail = detail;
    if (loc) {
      this.file = loc.file;
      this.row = loc.row;
      this.col = loc.col;
    }
  }
}

/** Several compile errors reported together (OPA lists them all); `code` is the first one's. */
export class RegoErrors extends RegoError {
  readonly errors: RegoError[];
  constructor(errors: RegoError[]) {
    const first = errors[0];
    super(first.code, first.detail, first.file !== undefined ? { file: first.file, row: first.row ?? 0, col: first.col ?? 0 } : undefined);
    this.errors = errors;
    if (errors.length > 1) {
      this.message = `${errors.length} errors occurred:\n` + errors.map((e) => e.message).join('\n');
    }
  }
}

export function notSupported(what: string, loc?: Location): RegoError {
  return new RegoError('rego_compile_error', `not supported: ${what}`, loc);
}
