/** setTimeout caps delays at 2^31 - 1 ms (about 24.8 days); longer ones fire at once. This chains them. */
const MAX_DELAY = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
}

export function setLongTimeout(callback: () => void, delayMs: number): LongTimeout {
  let timer: NodeJS.Timeout;
  const arm = (remaining: number) => {
    timer = setTimeout(() => (remaining > MAX_DELAY ? arm(remaining - MAX_DELAY) : callback()), Math.min(remaining, MAX_DELAY));
  };
  arm(Math.max(0, delayMs));
  return { clear: () => clearTimeout(timer) };
}
