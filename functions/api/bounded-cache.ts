/** A small in-memory cache of the last `max` values made, oldest dropped first (rendered feeds). */
export function boundedCache<V>(max: number) {
  const values = new Map<string, V>();
  return {
    get(key: string, make: () => V): V {
      let value = values.get(key);
      if (value === undefined) {
        value = make();
        values.set(key, value);
        if (values.size > max) values.delete(values.keys().next().value!);
      }
      return value;
    },
  };
}
