/**
 * Request buffers kept between bulk requests (and between writes of one sink), so a steady
 * stream of requests reuses a few buffers instead of allocating megabytes of fresh memory for
 * each: every fresh buffer counts against V8's external-memory budget, and crossing it forces a
 * full garbage collection of the whole heap.
 */
export interface BufferPool {
  /** A buffer of at least `bytes` bytes: a kept one when one is large enough, else a new one. */
  take(bytes: number): Buffer;
  /** Hands a buffer back for reuse; nothing may read or write it afterwards. */
  give(buf: Buffer): void;
}

/**
 * A pool that keeps at most `keep` buffers of at most `maxBytes` each (the largest ones), so it
 * never holds more than `keep × maxBytes` bytes. Contents of a taken buffer are stale bytes of an
 * earlier request: callers only send what they wrote.
 */
export function createBufferPool(keep: number, maxBytes: number): BufferPool {
  const free: Buffer[] = [];
  return {
    take(bytes) {
      let best = -1;
      for (let i = 0; i < free.length; i++) {
        const len = (free[i] as Buffer).length;
        if (len >= bytes && (best < 0 || len < (free[best] as Buffer).length)) best = i;
      }
      if (best >= 0) return free.splice(best, 1)[0] as Buffer;
      // Not from Node's shared slab: the buffer is handed back and reused whole.
      return Buffer.allocUnsafeSlow(bytes);
    },
    give(buf) {
      if (keep <= 0 || buf.length > maxBytes || buf.byteOffset !== 0) return;
      free.push(buf);
      if (free.length > keep) {
        free.sort((a, b) => b.length - a.length);
        free.length = keep;
      }
    },
  };
}

/** A pool that keeps nothing: every `take` allocates (the chunker's default). */
export const NO_POOL: BufferPool = createBufferPool(0, 0);
