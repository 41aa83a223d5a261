import { Type } from 'typebox';
import { invalidFields } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 50;

export const PageQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, description: 'Items per page (1–200, default 50)' }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'The next_cursor of the previous page' })),
});

export const nextCursorSchema = Type.Union([Type.String(), Type.Null()]);

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends Record<string, 'string' | 'number'>>(
  cursor: string | undefined,
  shape: K,
): { [P in keyof K]: K[P] extends 'number' ? number : string } | null {
  if (cursor === undefined) return null;
  const invalid = invalidFields({ cursor: 'is not a valid cursor' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid;
  for (const [name, kind] of Object.entries(shape)) {
    const value = (parsed as Record<string, unknown>)[name];
    if (typeof value !== kind || (kind === 'number' && !Number.isSafeInteger(value))) throw invalid;
  }
  return parsed as { [P in keyof K]: K[P] extends 'number' ? number : string };
}

/** Fetches one row more than the page to learn whether another page follows, without a count. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
