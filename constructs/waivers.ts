/**
 * Waivers in code, next to the construct they are about, as cdk-nag's suppressions:
 *
 *   Waivers.of(store).add({ rule: 'KZ-RES-005', reason: 'single-zone site until 2027', approvedBy: 'dpo@example.kz', expires: '2027-03-31' });
 *
 * A waiver covers every resource under the construct. At synth it is written into the `//`
 * comment of each of those resources in cdk.tf.json (`"//": {"kz-residency": {"waivers": [...]}}`,
 * with the construct and the line of the `add` call), so that both the synth-time ResidencyGuard
 * and `kz-residency check` honour it, report it like a file waiver, and report it when it has
 * expired or matches nothing. A waiver without reason, approver or a real expiry date is refused
 * here, naming the construct path and the prop.
 */
import { Aspects, IAspect, TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { SYNTH_METADATA_KEY } from '../plan/synth';
import { parseIsoDate } from '../plan/waivers';
import { isUserFile, packageRoot, parseFrame } from '../plan/frames';
import { refuse } from './vocabulary';

/** One waiver written in code. */
export interface WaiverProps {
  /** The rule id, e.g. `KZ-RES-005` (`kz-residency rules` lists them); an unknown id is refused at synth and by `check`. */
  readonly rule: string;
  /** Why the finding is accepted. Required. */
  readonly reason: string;
  /** Who approved it. Required. */
  readonly approvedBy: string;
  /** Until when (YYYY-MM-DD, inclusive); from the day after it waives nothing and is reported. Required. */
  readonly expires: string;
}

/** What is written into cdk.tf.json for one waiver (policies/data/waivers.schema.json, `codeWaiver`). */
export interface WaiverEntry {
  readonly rule: string;
  readonly reason: string;
  readonly approved_by: string;
  readonly expires: string;
  /** The construct the waiver was added to. */
  readonly construct: string;
  /** Where `add` was called: the stack frames down to the first in the app's code. */
  readonly stackTrace?: string[];
}

const RULE_ID = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const registry = new WeakMap<IConstruct, Waivers>();
const stacksWithAspect = new WeakSet<TerraformStack>();

/** Writes the waivers of a resource's construct and of its scopes into the resource's `//` comment. */
class WriteWaivers implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    const entries = node.node.scopes.flatMap((s) => registry.get(s)?.entries ?? []);
    if (entries.length > 0) node.addOverride(`//.${SYNTH_METADATA_KEY}.waivers`, entries);
  }
}

function callerTrace(): string[] | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, Waivers.prototype.add);
  const lines = (holder.stack ?? '').split('\n').slice(1).map((l) => l.trim().replace(/^at\s+/, ''));
  const user = lines.findIndex((l) => {
    const f = parseFrame(l);
    return f !== undefined && isUserFile(f.file, [packageRoot()]);
  });
  return user >= 0 ? lines.slice(0, user + 1) : undefined;
}

export class Waivers {
  /** The waivers of `scope` (a construct, a stack, or the app: then every stack it has now). */
  static of(scope: IConstruct): Waivers {
    let w = registry.get(scope);
    if (!w) {
      w = new Waivers(scope);
      registry.set(scope, w);
    }
    return w;
  }

  private readonly list: WaiverEntry[] = [];

  private constructor(readonly scope: IConstruct) {}

  /** The waivers added here, as they are written into cdk.tf.json. */
  get entries(): readonly WaiverEntry[] {
    return this.list;
  }

  /** Adds a waiver for the resources under this construct; refuses one without reason, approver or a real date. */
  add(waiver: WaiverProps): this {
    const at = (prop: keyof WaiverProps) => `Waivers.add(…).${prop}`;
    if (typeof waiver.rule !== 'string' || !RULE_ID.test(waiver.rule))
      refuse(this.scope, at('rule'), `${JSON.stringify(waiver.rule)} is not a rule id`, 'use an id from `npx kz-residency rules`, e.g. KZ-RES-005');
    if (typeof waiver.reason !== 'string' || waiver.reason.trim() === '')
      refuse(this.scope, at('reason'), 'a waiver says why the finding is accepted', 'give the reason, e.g. the ticket that tracks the fix');
    if (typeof waiver.approvedBy !== 'string' || waiver.approvedBy.trim() === '')
      refuse(this.scope, at('approvedBy'), 'a waiver names who approved it', 'give the approver, e.g. the data protection officer');
    if (typeof waiver.expires !== 'string' || !parseIsoDate(waiver.expires))
      refuse(this.scope, at('expires'), `${JSON.stringify(waiver.expires)} is not a date of the form YYYY-MM-DD`, 'give the last day the waiver holds');
    const trace = callerTrace();
    this.list.push({
      rule: waiver.rule,
      reason: waiver.reason,
      approved_by: waiver.approvedBy,
      expires: waiver.expires,
      construct: this.scope.node.path,
      ...(trace ? { stackTrace: trace } : {}),
    });
    const stacks = TerraformStack.isStack(this.scope)
      ? [this.scope]
      : this.scope.node.scopes.some(TerraformStack.isStack)
        ? [TerraformStack.of(this.scope)]
        : this.scope.node.findAll().filter(TerraformStack.isStack);
    for (const stack of stacks) {
      if (stacksWithAspect.has(stack)) continue;
      stacksWithAspect.add(stack);
      Aspects.of(stack).add(new WriteWaivers());
    }
    return this;
  }
}
