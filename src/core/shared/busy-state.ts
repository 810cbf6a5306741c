/**
 * App-wide "work in progress" flag. Long jobs (a batch of cells, a field analysis, a slide session
 * save) hold a token; the update flow waits until nothing is busy before it offers to reload.
 */
export class BusyState extends EventTarget {
  private readonly tokens = new Set<symbol>();

  get isBusy(): boolean {
    return this.tokens.size > 0;
  }

  /** Marks a job as running; call the returned function exactly once when it ends. */
  start(label: string): () => void {
    const token = Symbol(label);
    this.tokens.add(token);
    this.dispatchEvent(new Event('change'));
    return () => {
      if (this.tokens.delete(token)) this.dispatchEvent(new Event('change'));
    };
  }

  /** Resolves when no job is running (immediately if idle). */
  whenIdle(): Promise<void> {
    if (!this.isBusy) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!this.isBusy) {
          this.removeEventListener('change', check);
          resolve();
        }
      };
      this.addEventListener('change', check);
    });
  }
}
