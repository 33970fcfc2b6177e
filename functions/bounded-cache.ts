/**
 * A small in-memory cache of at most `max` values (rendered feeds, mail texts, the personal
 * feed's documents): the least recently used is dropped first. A Lambda instance keeps it
 * between invocations, so each instance warms its own.
 */
export function boundedCache<V>(max: number) {
  const values = new Map<string, V>();
  const remember = (key: string, value: V) => {
    values.delete(key);
    values.set(key, value); // a Map iterates in insertion order: the first key is the least recent
    if (values.size > max) values.delete(values.keys().next().value!);
    return value;
  };
  return {
    /** The value of `key`, made (and kept) when there is none. */
    get(key: string, make: () => V): V {
      const value = values.get(key);
      return remember(key, value === undefined ? make() : value);
    },
    /** The value of `key` if there is one. */
    peek(key: string): V | undefined {
      const value = values.get(key);
      return value === undefined ? undefined : remember(key, value);
    },
    set(key: string, value: V): void {
      remember(key, value);
    },
    delete(key: string): void {
      values.delete(key);
    },
  };
}
