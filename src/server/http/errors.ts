import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.ts';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid: 422,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export function errorBody(code: string, message: string, fields?: Record<string, string>): ErrorBody {
  return { error: fields && Object.keys(fields).length > 0 ? { code, message, fields } : { code, message } };
}

export interface ValidationIssue {
  instancePath?: string;
  schemaPath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** The validator's words for a failed format are for developers; people filling a form get these. */
const formatMessages: Record<string, string> = {
  email: 'must be a valid email address',
  uri: 'must be an absolute URL',
  'date-time': 'must be a date and time with a time zone, such as 2026-12-01T09:00:00Z',
  date: 'must be a date such as 2026-12-01',
};

/** Turns schema-validation issues into `{ field: message }`, one message a field, named as in the request. */
export function validationFields(issues: ValidationIssue[], context?: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    // TypeBox reports an unknown field twice; the "schema is false" half would hide "is not a known field".
    if (issue.keyword === 'boolean' && issue.schemaPath?.endsWith('/additionalProperties')) continue;
    let field = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const params = issue.params ?? {};
    const extra = (params.additionalProperty ?? (params.additionalProperties as string[] | undefined)?.[0]) as
      | string
      | undefined;
    const missing = (params.missingProperty ?? (params.requiredProperties as string[] | undefined)?.[0]) as
      | string
      | undefined;
    let message = issue.message ?? 'is invalid';
    const format = issue.keyword === 'format' ? formatMessages[String(params.format)] : undefined;
    if (format) {
      message = format;
    } else if (extra !== undefined) {
      field = field ? `${field}.${extra}` : extra;
      message = 'is not a known field';
    } else if (missing !== undefined) {
      field = field ? `${field}.${missing}` : missing;
      message = 'is required';
    }
    const name = field || context || 'body';
    fields[name] ??= message;
  }
  return fields;
}

function fromFastifyError(error: FastifyError): { status: number; body: ErrorBody } | null {
  if (error.validation) {
    const fields = validationFields(error.validation as ValidationIssue[], error.validationContext);
    return { status: 422, body: errorBody('invalid', 'The request has invalid fields', fields) };
  }
  const status = error.statusCode ?? 500;
  if (status === 413)
    return { status, body: errorBody('payload_too_large', 'The request body is too large') };
  if (status === 429)
    return { status, body: errorBody('rate_limited', 'Too many attempts; try again later') };
  if (status === 415) return { status, body: errorBody('bad_request', 'Send the body as application/json') };
  if (status === 403 && error.code?.startsWith('FST_CSRF')) {
    return { status, body: errorBody('forbidden', 'Missing or invalid CSRF token') };
  }
  if (status >= 400 && status < 500) {
    return { status: 400, body: errorBody('bad_request', 'The request could not be read') };
  }
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(statusOf[error.code]).send(errorBody(error.code, error.message, error.fields));
    }
    const mapped = fromFastifyError(error as FastifyError);
    if (mapped) return reply.status(mapped.status).send(mapped.body);
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'Internal error'));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorBody('not_found', 'Not found')));
}
