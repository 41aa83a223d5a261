import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifyRequest, FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { invalidFields } from '../core/errors.ts';
import { type ValidationIssue, validationFields } from './errors.ts';

const refusal = (key: string, message: string): FastifySchemaValidationError[] => [
  { instancePath: `/${key}`, schemaPath: '', keyword: 'type', message, params: {} },
];

const hasNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) && value.some(hasNul);

type Validate = (value: unknown) => { value?: unknown; error?: FastifySchemaValidationError[] };

/**
 * TypeBox's compiler, each route's check compiled on its first request rather than at start-up (as the response
 * serializers: http/serialization.ts), with two guards on query and path values. Those it converts to numbers
 * must have been written as plain decimal integers: TypeBox alone turns "1.5" into 1 and "1e2" into 100, and a
 * request that says something other than what runs should be refused rather than reinterpreted. And a
 * query value may not hold a NUL (docs/rules.md "Precise rules"): PostgreSQL text cannot, so it would otherwise
 * fail in the database as a 500. (A NUL in a path value is the 404 of an unknown id: http/access.ts.)
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  let compiled: Validate | undefined;
  const validate: Validate = (value) => {
    compiled ??= TypeBoxValidatorCompiler(route) as Validate;
    return compiled(value);
  };
  if (route.httpPart === 'body') return validate;
  const isQuery = route.httpPart === 'querystring';
  return (raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) return validate(raw);
    const given = { ...(raw as Record<string, unknown>) }; // TypeBox converts in place
    const result = validate(raw);
    if (result.error) return result;
    for (const [key, value] of Object.entries(result.value as Record<string, unknown>)) {
      if (isQuery && hasNul(given[key])) return { error: refusal(key, 'must not contain a NUL character') };
      if (typeof value === 'number' && typeof given[key] === 'string' && given[key] !== String(value)) {
        return { error: refusal(key, 'must be a whole number') };
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
 * docs/rules.md "Access" orders the answers 401, 404, 403, then 422: an outsider learns nothing from a
 * bad body. So declared routes keep their schema errors attached to the request (attachValidation) and
 * the access pipeline throws them here once the actor is entitled.
 * Throws the request's deferred schema errors, with its route's body rules, as one 422. */
export function assertValidRequest(request: FastifyRequest): void {
  const ruleFields = request.routeOptions.config.bodyRules?.(request.body) ?? {};
  const failure = request.validationError as DeferredValidationError | undefined;
  const schemaFields = failure?.validation
    ? validationFields(failure.validation, failure.validationContext)
    : {};
  const fields = { ...ruleFields, ...schemaFields };
  if (Object.keys(fields).length > 0) throw invalidFields(fields);
}
