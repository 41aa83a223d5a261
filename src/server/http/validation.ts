import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';

/**
 * TypeBox's compiler, with one guard: query and path values it converts to numbers must have been
 * written as plain decimal integers. TypeBox alone turns "1.5" into 1 and "1e2" into 100, and a request
 * that says something other than what runs should be refused rather than reinterpreted.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  const validate = TypeBoxValidatorCompiler(route) as (value: unknown) => {
    value?: unknown;
    error?: FastifySchemaValidationError[];
  };
  if (route.httpPart === 'body') return validate;
  return (raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) return validate(raw);
    const given = { ...(raw as Record<string, unknown>) }; // TypeBox converts in place
    const result = validate(raw);
    if (result.error) return result;
    for (const [key, value] of Object.entries(result.value as Record<string, unknown>)) {
      if (typeof value === 'number' && typeof given[key] === 'string' && given[key] !== String(value)) {
        return {
          error: [
            {
              instancePath: `/${key}`,
              schemaPath: '',
              keyword: 'type',
              message: 'must be a whole number',
              params: {},
            },
          ],
        };
      }
    }
    return result;
  };
};
