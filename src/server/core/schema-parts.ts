import { Type } from 'typebox';

/** A value or null: how every optional fact of a view is sent (never left out). */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
