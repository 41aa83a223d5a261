import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { App } from '../routing.ts';
import { packageRoot } from '../server-root.ts';
import { findActor } from './auth.ts';

const webRoot = path.join(packageRoot, 'dist', 'web');

/**
 * A download the UI links to (`?format=csv`, the audit log's export): the browser navigates to it asking
 * for HTML, and must get the file.
 */
function asksForDownload(request: FastifyRequest): boolean {
  return (request.query as Record<string, unknown> | undefined)?.format === 'csv';
}

/** A browser navigation (it asks for HTML); the SPA's own fetches ask for JSON and get the API. */
function wantsHtml(request: FastifyRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    (request.headers.accept ?? '').includes('text/html') &&
    !asksForDownload(request)
  );
}

/** Pages reached through a one-time link (`/invitations/<token>`, `/setup/<token>`), JSON at the same URL. */
function isLinkPage(url: string): boolean {
  return url.startsWith('/invitations/') || url.startsWith('/setup/');
}

function sendIndex(reply: FastifyReply) {
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
    return reply
      .status(503)
      .type('text/plain')
      .send('The TenantPilot UI is not built. Run "npm run build" (npm start does it for you).');
  }
  return reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot);
}

/**
 * The UI lives at the same URLs as the JSON API: browser navigations to /admin/... get the SPA (or the
 * sign-in page when nobody is signed in), everything else reaches the routes.
 */
export async function registerWeb(app: App, db: Db): Promise<void> {
  await app.register(fastifyStatic, {
    root: path.join(webRoot, 'assets'),
    prefix: '/assets/',
    decorateReply: true,
    immutable: true,
    maxAge: '365d',
  });

  app.addHook('onRequest', async (request, reply) => {
    const url = request.url;
    if (isLinkPage(url)) {
      // Invitation and setup links: the SPA for whoever holds the link, signed in or not.
      reply.header('vary', 'Accept');
      return wantsHtml(request) ? sendIndex(reply) : undefined;
    }
    if (!(url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?'))) return;
    // One URL, two representations: caches (the browser's too) must keep the HTML and the JSON apart.
    reply.header('vary', 'Accept');
    if (!wantsHtml(request)) return;
    if (!(await findActor(db, request))) {
      return reply.redirect(`/sign-in?next=${encodeURIComponent(url)}`, 302);
    }
    return sendIndex(reply);
  });

  const page = { schema: { hide: true }, config: { access: { scope: 'public' } } } as const;
  app.get('/', page, (_request, reply) => reply.redirect('/admin', 302));
  app.get('/sign-in', page, (_request, reply) => sendIndex(reply));
  // Where a refused sign-in through the identity provider lands (features/oidc/routes.ts).
  app.get('/sign-in/refused', page, (_request, reply) => sendIndex(reply));
}
