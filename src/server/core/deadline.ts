/**
 * What `work` settles with, or what `onExpiry` answers when `ms` pass first. The timer is cleared as soon as
 * either comes: an armed timer would keep `work`'s outcome (an answer, its headers) reachable until it fired.
 */
export function settleWithin<T>(work: Promise<T>, ms: number, onExpiry: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onExpiry()), ms);
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}
