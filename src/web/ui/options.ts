// An enum's values come to the UI through a label map typed by the server's type,
// `Record<Severity, string>`: tsc fails when the server adds or drops a value, and the map's order is
// the order the UI shows. The web never copies a server tuple.

/** The map's keys in its own order. */
export function keysOf<Value extends string>(labels: Readonly<Record<Value, unknown>>): Value[] {
  return Object.keys(labels) as Value[];
}

/** Select options in the map's order. */
export function optionsOf<Value extends string>(
  labels: Readonly<Record<Value, string>>,
): { value: Value; label: string }[] {
  return keysOf(labels).map((value) => ({ value, label: labels[value] }));
}

/** A value from a URL or a select when it is one of the map's keys; anything else is dropped. */
export function parseKey<Value extends string>(
  labels: Readonly<Record<Value, unknown>>,
  value: string | null | undefined,
): Value | undefined {
  return value != null && Object.hasOwn(labels, value) ? (value as Value) : undefined;
}
