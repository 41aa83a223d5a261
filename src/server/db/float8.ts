/** A float8 column as a number: drivers differ, and one may hand it over as text ('Infinity' among them). */
export const readFloat8 = (value: number | string | null): number | null =>
  value === null ? null : Number(value);
