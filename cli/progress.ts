/**
 * The progress line of a long check, on standard error when it is a terminal: what is being
 * checked and, when worker threads evaluate a deployment (cli/parallel.ts), how many are done.
 * Short runs (under 4 inputs and 500 resources) print nothing; the line is cleared at the end, so
 * reports on standard output are never mixed with it.
 */
export class ProgressLine {
  private active = false;
  private text = '';

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  /** Before the evaluation: inputs and resources of the deployment. */
  start(inputs: number, resources: number): void {
    if (!this.out.isTTY || (inputs < 4 && resources < 500)) return;
    this.active = true;
    this.text = `checking ${inputs} ${inputs === 1 ? 'input' : 'inputs'} (${resources} resources)`;
    this.write(`${this.text}…`);
  }

  /** As worker threads finish. */
  workers(done: number, total: number): void {
    if (this.active) this.write(`${this.text}: ${done} of ${total} worker threads done…`);
  }

  /** Clears the line. */
  end(): void {
    if (this.active) this.out.write('\r\x1b[K');
    this.active = false;
  }

  private write(s: string): void {
    this.out.write(`\r\x1b[K${s}`);
  }
}
