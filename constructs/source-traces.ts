/**
 * Where each Terraform element was created, in the user's code: cdktf writes a resource's creation
 * trace into cdk.tf.json (`"//": {"metadata": {"stackTrace": [...]}}`) from the `stacktrace`
 * metadata entry its TerraformElement adds, but constructs 10 records a trace only when the entry
 * asks for one, and cdktf does not ask, so the field stays empty. `recordSourceTraces()` makes
 * that entry carry the trace again, cut after the first frame in the user's code (plan/frames.ts),
 * so that `kz-residency check` can point findings at the line of `main.ts` that made the resource.
 *
 * It honours cdktf's own switch: `new App({ stackTraces: false })` (context
 * `@cdktf/disable_stack_trace_in_metadata`) records nothing. The package entry point calls it
 * once; calling it again does nothing.
 */
import { Node } from 'constructs';
import { isUserFile, packageRoot, parseFrame } from '../plan/frames';

/** cdktf's context key behind `App({ stackTraces: false })`. */
export const DISABLE_STACK_TRACE_CONTEXT = '@cdktf/disable_stack_trace_in_metadata';

/** At most this many frames are kept when no frame is the user's (e.g. a stack built by a library). */
const MAX_FRAMES_WITHOUT_USER_CODE = 8;

const RECORDING = Symbol.for('kz-residency/source-traces');

type AddMetadata = Node['addMetadata'];

/** The calling stack, without the frames of this file, cut after the first user frame. */
function traceBelow(fn: (...args: never[]) => unknown): string[] {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 24;
    Error.captureStackTrace(holder, fn);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const lines = (holder.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().replace(/^at\s+/, ''));
  const roots = [packageRoot()];
  const user = lines.findIndex((l) => {
    const f = parseFrame(l);
    return f !== undefined && isUserFile(f.file, roots);
  });
  return user >= 0 ? lines.slice(0, user + 1) : lines.slice(0, MAX_FRAMES_WITHOUT_USER_CODE);
}

/** Makes cdktf's `stacktrace` metadata entries carry the creation trace (see the module comment). */
export function recordSourceTraces(): void {
  const proto = Node.prototype as Node & { [RECORDING]?: true };
  if (proto[RECORDING]) return;
  const original: AddMetadata = proto.addMetadata;
  const addMetadata: AddMetadata = function (this: Node, type, data, options = {}) {
    const asked = options.stackTrace !== undefined || options.stackTraceOverride !== undefined;
    if (type !== 'stacktrace' || asked || this.tryGetContext(DISABLE_STACK_TRACE_CONTEXT)) {
      return original.call(this, type, data, options);
    }
    return original.call(this, type, data, { ...options, stackTraceOverride: traceBelow(addMetadata) });
  };
  Object.defineProperty(proto, 'addMetadata', { value: addMetadata, writable: true, configurable: true });
  Object.defineProperty(proto, RECORDING, { value: true });
}
