/**
 * Splits an untrusted byte stream into lines without letting it grow without bound: a line longer
 * than the cap, or more bytes in total than the budget, is reported as an overflow instead of being
 * buffered.
 */
export class LineReader {
  private buffered = "";
  private total = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (why: string) => void,
  ) {}

  /** Restarts the total-bytes budget, e.g. at the start of each execution. */
  resetBudget(): void {
    this.total = 0;
  }

  push(chunk: Buffer, budgetBytes: number): void {
    this.total += chunk.length;
    if (this.total > budgetBytes) return this.onOverflow(`wrote more than ${budgetBytes} bytes of output`);
    this.buffered += chunk.toString("utf8");
    let newline = this.buffered.indexOf("\n");
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line.length > this.maxLineBytes) return this.onOverflow(`wrote a line longer than ${this.maxLineBytes} bytes`);
      this.onLine(line);
      newline = this.buffered.indexOf("\n");
    }
    if (this.buffered.length > this.maxLineBytes) this.onOverflow(`wrote a line longer than ${this.maxLineBytes} bytes`);
  }
}
