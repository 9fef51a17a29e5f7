/**
 * A push-to-pull async iterator for subscriptions: `push` enqueues, the consumer pulls; `return()`
 * (client unsubscribed or connection closed) runs the cleanup exactly once.
 */
export function createLiveIterator<T>(setup: (push: (value: T) => void) => () => void, initial: T[] = []): AsyncIterableIterator<T> {
  const queue: T[] = [...initial];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let done = false;
  const push = (value: T) => {
    if (done) return;
    if (waiting) {
      const w = waiting;
      waiting = null;
      w({ value, done: false });
    } else queue.push(value);
  };
  const cleanup = setup(push);
  const finish = (): IteratorResult<T> => {
    if (!done) {
      done = true;
      cleanup();
      waiting?.({ value: undefined, done: true });
      waiting = null;
    }
    return { value: undefined, done: true };
  };
  return {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: () => Promise.resolve(finish()),
    throw: (err?: unknown) => {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
