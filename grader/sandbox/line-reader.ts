/**
 * Splits an untrusted byte stream into lines without letting it grow without bound: a line longer
 * than the cap is reported as an overflow instead of being buffered. (What a whole grading may send
 * is counted by the runner, over every host it leases.)
 */
export class LineReader {
  private buffered = "";

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (why: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffered += chunk.toString("utf8");
    let newline = this.buffered.indexOf("\n");
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line.length > this.maxLineBytes)
        return this.onOverflow(`wrote a line longer than ${this.maxLineBytes} bytes`);
      this.onLine(line);
      newline = this.buffered.indexOf("\n");
    }
    if (this.buffered.length > this.maxLineBytes)
      this.onOverflow(`wrote a line longer than ${this.maxLineBytes} bytes`);
  }
}
