/**
 * The value, or a failed test that says what was missing: for the rows a query or an insert must
 * have returned, where a `!` would only fail later with "cannot read properties of undefined".
 *
 * ```ts
 * const [row] = await db.select().from(findings).where(eq(findings.id, id));
 * assert.equal(must(row, `finding ${id}`).ownerUserId, null);
 * ```
 */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}, found none`);
  return value;
}
