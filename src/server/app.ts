import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyRequest, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { Type } from 'typebox';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { createSupportDesk } from './desks/index.ts';
import { registerAccountRoutes } from './features/account/routes.ts';
import { registerAuditRoutes } from './features/audit/routes.ts';
import { registerFindingRoutes } from './features/findings/routes.ts';
import { registerImportRoutes } from './features/imports/routes.ts';
import { registerOidc } from './features/oidc/routes.ts';
import { registerRunRoutes } from './features/operation-runs/routes.ts';
import { registerPeopleRoutes } from './features/people/routes.ts';
import { registerSecondFactorRoutes } from './features/second-factor/routes.ts';
import { registerSetupRoutes } from './features/setup/routes.ts';
import { registerSupportRequestRoutes } from './features/support-requests/routes.ts';
import { registerMemberRoutes } from './features/tenancy/members.ts';
import { registerTenancyRoutes } from './features/tenancy/routes.ts';
import { CSRF_COOKIE, CSRF_COOKIE_OPTIONS } from './features/tenancy/session-cookie.ts';
import { registerWorkspaceFindingRoutes } from './features/workspace-findings/routes.ts';
import { registerWorkspaceTenantRoutes } from './features/workspace-tenants/routes.ts';
import { registerAccessPipeline } from './http/access.ts';
import { findActor, presentsBearer } from './http/auth.ts';
import { answerClientError, answerFrameworkError, registerErrorHandling } from './http/errors.ts';
import { redactSecretPaths } from './http/log-redaction.ts';
import { registerOpenApiRefusals } from './http/openapi.ts';
import { buildSerializersOnFirstUse } from './http/serialization.ts';
import { validatorCompiler } from './http/validation.ts';
import { registerWeb } from './http/web.ts';
import { createMailer } from './mail/mailer.ts';
import type { App } from './routing.ts';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AppDeps {
  config: Config;
  database: Database;
  /** Where request logs go (stdout by default); tests read them to prove no secret is written. */
  logStream?: NodeJS.WritableStream;
  /** Sees every route as it is registered: the route-walk test reads each route's access declaration. */
  onRoute?: (route: RouteOptions) => void;
}

function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    // Fastify's request serializer, with the URL's secrets redacted.
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactSecretPaths(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    // Request logs carry method, url and status only; these paths are redacted should anything log headers.
    redact: [
      'req.headers.authorization',
      'req.headers.cookie',
      'req.headers["x-csrf-token"]',
      'res.headers["set-cookie"]',
    ],
  };
}

registerAjvFormats();

/** Registers every plugin and route by hand. Never listens: main.ts and the tests do that. */
export async function buildApp({ config, database, logStream, onRoute }: AppDeps): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(config, logStream),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    // Long hostile parameters reach the access pipeline and get its answers (401, then the 404 of an unknown
    // id); past this the router refuses them, and frameworkErrors answers the same 404.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // A `__proto__` or `constructor` key stays a plain own key (JSON.parse never sets a prototype, and no
    // code merges bodies); the body schemas refuse unknown keys, so it is answered in the access order
    // (401, 404, 403) and then 422 naming the key, rather than 400 before access is resolved.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    schemaController: { compilersFactory: { buildSerializer: buildSerializersOnFirstUse } },
  })
    .setValidatorCompiler(validatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();
  const { db } = database;

  registerErrorHandling(app);
  if (onRoute) app.addHook('onRoute', onRoute);
  registerAccessPipeline(app, db);
  registerOpenApiRefusals(app, { bodyLimitBytes: BODY_LIMIT_BYTES });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { ...CSRF_COOKIE_OPTIONS },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'TenantPilot API',
        version: '0.1.0',
        description:
          'The JSON API of TenantPilot, generated from the route schemas. Authenticate with ' +
          '`Authorization: Bearer <token>`, or with the session cookie plus `X-CSRF-Token` on changes. ' +
          'Access resolves in one order, 401, 404, 403, then 422; every refusal answers the one ' +
          '`ErrorBody`: `{"error": {"code", "message", "fields"?}}`.',
        // package.json is private and names no licence: proprietary until the project says otherwise.
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [
        config.publicUrl
          ? { url: config.publicUrl, description: 'This installation (TENANTPILOT_PUBLIC_URL)' }
          : { url: '/', description: 'The server this document is served from' },
      ],
      tags: [
        { name: 'health', description: 'Whether the server is up and reaches its database' },
        { name: 'session', description: 'Sign in and out; who is signed in' },
        { name: 'account', description: "Your profile, password and API tokens; a workspace's tokens" },
        { name: 'tenants', description: "A tenant's dashboard" },
        { name: 'tenancy', description: "A tenant's members" },
        { name: 'operation runs', description: 'Operation runs of a tenant or a workspace' },
        { name: 'findings', description: 'Findings, their responsibility and their risk exceptions' },
        { name: 'imports', description: 'Maester, ScubaGear and tenantpilot.results.v1 result files' },
        { name: 'support requests', description: 'Support requests and their handoff to the external desk' },
        { name: 'workspace tenants', description: "A workspace's overview and its tenants" },
        {
          name: 'workspace findings',
          description:
            "Across a workspace's tenants: the findings overview, findings list, approval queue and search",
        },
        { name: 'people', description: "A workspace's people: invitations, workspace roles, tenant roles" },
        { name: 'invitations', description: 'The set-password page of an invitation link (public)' },
        { name: 'audit', description: "A workspace's audit log, as pages or a CSV export" },
        { name: 'setup', description: 'First run: the first workspace and its owner' },
        {
          name: 'second factor',
          description: "Your authenticator app (TOTP) and recovery codes; a workspace's requirement of one",
        },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'tp_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // Shared schemas (the error body) keep their own name in components.schemas instead of def-N.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  // Cookie-authenticated mutations need the CSRF token; bearer requests and anonymous ones do not (the
  // latter are refused as unauthenticated by the access resolver).
  app.addHook('preHandler', async (request, reply) => {
    // A request with a bearer token is judged by the token alone, never by a cookie beside it: it needs no
    // CSRF token, and its caller is left for the access pipeline to find together with its scope.
    if (SAFE_METHODS.has(request.method) || presentsBearer(request)) return;
    const actor = await findActor(db, request);
    if (actor?.via !== 'session') return;
    await new Promise<void>((resolve, reject) => {
      app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
    });
  });

  // Before the web shell: a provider session the provider refuses is ended before anything reads it.
  registerOidc(app, { db, config });
  await registerWeb(app, db);
  app.get('/openapi.json', { schema: { hide: true }, config: { access: { scope: 'public' } } }, () =>
    app.swagger(),
  );
  app.get(
    '/healthz',
    {
      config: { access: { scope: 'public' } },
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Up and able to reach the database',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => {
      await db.execute(sql`select 1`);
      return { status: 'ok' as const };
    },
  );

  registerTenancyRoutes(app, { db, config });
  registerAccountRoutes(app, { config });
  registerSecondFactorRoutes(app, { config });
  registerRunRoutes(app);
  registerFindingRoutes(app);
  registerImportRoutes(app);
  registerMemberRoutes(app);
  registerWorkspaceTenantRoutes(app);
  registerWorkspaceFindingRoutes(app);
  registerPeopleRoutes(app, { db, config, mailer: createMailer(config.smtp) });
  const desk = config.desk ? createSupportDesk(config.desk) : null;
  registerSupportRequestRoutes(app, { config, desk });
  registerAuditRoutes(app);
  registerSetupRoutes(app, { db, config });
  return app;
}
