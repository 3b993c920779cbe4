/** A one-line progress bar on a terminal (stderr); silent when stderr is not a TTY or when --json is on. */
export class Progress {
  private readonly enabled: boolean;
  private readonly start = Date.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
    quiet: boolean,
  ) {
    this.enabled = !quiet && Boolean(process.stderr.isTTY);
  }

  update(done: number, detail = ''): void {
    if (!this.enabled) return;
    const width = 28;
    const filled = Math.round((done / this.total) * width);
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : 0;
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    process.stderr.write(`\r${this.label} ${bar} ${done}/${this.total} ${detail} eta ${eta.toFixed(0)}s   `);
  }

  finish(): void {
    if (this.enabled) process.stderr.write('\n');
  }
}
