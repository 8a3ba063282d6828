import type { Writable } from 'node:stream';

/**
 * Writes text to a stream in chunks of about `chunkBytes`, waiting for `drain` when the stream
 * asks for it (backpressure), so a fast producer never buffers a whole input in memory.
 */
export class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  private failed: Error | undefined;

  constructor(
    private readonly out: Writable,
    private readonly chunkBytes = 64 * 1024,
  ) {
    out.on('error', (err: Error) => {
      this.failed ??= err;
    });
  }

  /** The stream's error, once it failed (e.g. `EPIPE` when the reader went away). */
  get error(): Error | undefined {
    return this.failed;
  }

  /** Queues one piece of text; flushes once enough is queued. */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunkBytes) await this.flush();
  }

  /** Writes what is queued and waits while the stream is over its high-water mark. */
  async flush(): Promise<void> {
    if (this.parts.length === 0 || this.failed) {
      this.parts = [];
      this.size = 0;
      return;
    }
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(chunk)) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('error', done);
      this.out.on('close', done);
    });
  }
}
