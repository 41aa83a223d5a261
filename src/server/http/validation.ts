import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type {
  FastifyInstance,
  FastifyRequest,
  FastifySchemaCompiler,
  FastifySchemaValidationError,
} from 'fastify';
import type { TSchema } from 'typebox';
import { AppError, type ValidationIssue, validationFields } from './errors.ts';

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

interface DeferredValidationError extends Error {
  validation?: ValidationIssue[];
  validationContext?: string;
}

/**
 * PRODUCT.md section 2 orders the answers 401, 404, 403, then 422: an outsider learns nothing from a
 * bad body. So routes under /admin keep their schema errors attached to the request instead of
 * answering at once, and the access resolver judges them once the actor is entitled
 * (`assertValidRequest`). Register before the routes.
 */
export function deferValidationUnderAdmin(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.url === '/admin' || route.url.startsWith('/admin/')) route.attachValidation = true;
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Body rules a schema cannot say (a field the chosen mode does not use, a NUL character), judged
     * with the schema so that one 422 names every bad field. Given the body as sent.
     */
    bodyRules?: (body: unknown) => Record<string, string>;
  }
}

/** PRODUCT.md section 7: a NUL character anywhere in a text field is refused. Names each field that has one. */
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

/** Throws the request's deferred schema errors, with its route's body rules, as one 422. */
export function assertValidRequest(request: FastifyRequest): void {
  const ruleFields = request.routeOptions.config.bodyRules?.(request.body) ?? {};
  const failure = request.validationError as DeferredValidationError | undefined;
  const schemaFields = failure?.validation
    ? validationFields(failure.validation, failure.validationContext)
    : {};
  const fields = { ...ruleFields, ...schemaFields };
  if (Object.keys(fields).length > 0) throw new AppError('invalid', 'The request has invalid fields', fields);
}
