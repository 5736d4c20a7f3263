/**
 * Runs async operations one at a time, in order (like mediasoup-client's AwaitQueue).
 * A failing task rejects its own promise and does not stop the queue.
 */
export class AsyncQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  get size(): number {
    return this.pending;
  }

  push<T>(task: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const run = this.tail.then(task, task);
    const settle = (): void => {
      this.pending -= 1;
    };
    this.tail = run.then(settle, settle);
    return run;
  }
}
