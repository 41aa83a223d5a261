const MAX_ID = 2_147_483_647;

/** Path ids that are not a positive 32-bit integer name nothing: they get the same 404 as unknown ids. */
export function parseId(raw: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= MAX_ID ? id : null;
}
