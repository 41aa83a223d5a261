/** docs/rules.md "Text": a NUL character anywhere in a text field is refused. Names each field that has one. */
export function nulCharacterFields(body: unknown, names: readonly string[]): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const fields: Record<string, string> = {};
  for (const name of names) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.includes('\u0000'))
      fields[name] = 'must not contain a NUL character';
  }
  return fields;
}
