/** A one-line progress bar with ETA; on a non-TTY (nohup log) it prints a line every 10%. */
export class ProgressBar {
  private readonly start = Date.now();
  private lastDecile = -1;
  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, extra = ''): void {
    const frac = Math.min(1, done / this.total);
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : 0;
    const width = 30;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const line =
      `${this.label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${this.total} ` +
      `${fmt(elapsed)} elapsed, ETA ${fmt(eta)} ${extra}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}`);
      if (done >= this.total) this.stream.write('\n');
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${line}\n`);
      }
    }
  }
}

function fmt(s: number): string {
  const m = Math.floor(s / 60);
  const sec = Math.round(s % 60);
  return `${m}:${String(sec).padStart(2, '0')}`;
}
