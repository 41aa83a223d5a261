import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.ts';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  second_factor_required: 401,
  forbidden: 403,
  second_factor_enrolment_required: 403,
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
  // No prototype: a field named `__proto__` or `constructor` is named back like any other unknown field.
  const fields: Record<string, string> = Object.create(null);
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
  if (status === 404) return { status, body: errorBody('not_found', 'Not found') };
  if (status === 413)
    return { status, body: errorBody('payload_too_large', 'The request body is too large') };
  if (status === 415)
    return { status, body: errorBody('unsupported_media_type', 'Send the body as application/json') };
  if (status === 429)
    return { status, body: errorBody('rate_limited', 'Too many attempts; try again later') };
  if (status === 403 && error.code?.startsWith('FST_CSRF')) {
    return { status, body: errorBody('forbidden', 'Missing or invalid CSRF token') };
  }
  if (status >= 400 && status < 500) {
    return { status: 400, body: errorBody('bad_request', 'The request could not be read') };
  }
  return null;
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route or hook runs. A path it cannot
 * decode (`%E0%A4%A`) or a parameter longer than `maxParamLength` names nothing, so it answers the
 * same 404 as an unknown id, as malformed ids do (docs/rules.md "Precise rules").
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.status(404).send(errorBody('not_found', 'Not found'));
    return;
  }
  const mapped = fromFastifyError(error);
  if (mapped) {
    reply.status(mapped.status).send(mapped.body);
    return;
  }
  request.log.error({ err: error }, 'unhandled framework error');
  reply.status(500).send(errorBody('internal', 'Internal error'));
}

const clientErrorStatus = new Map<string, [number, string]>([
  ['ERR_HTTP_REQUEST_TIMEOUT', [408, 'The request took too long to arrive']],
  ['HPE_HEADER_OVERFLOW', [431, 'The request headers are too large']],
]);

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the bytes (an unknown method, a control
 * character in the URL, conflicting lengths, headers over the limit) before there is a request to
 * answer. The answer is written on the socket, in the standard error body.
 */
export function answerClientError(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = clientErrorStatus.get(error.code) ?? [400, 'The request could not be read'];
  const body = JSON.stringify(errorBody('bad_request', message));
  this.log.debug({ err: error }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** One body for every refusal: the domain's AppErrors, Fastify's own errors, unknown routes and body types. */
export function registerErrorHandling(app: FastifyInstance): void {
  // JSON is the only body the API reads. Fastify also parses text/plain, which would reach a route as a
  // string and be judged by its schema; refused by its type instead, it is a 415 like any other type.
  app.removeContentTypeParser('text/plain');
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
