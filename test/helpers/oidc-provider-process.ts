/**
 * A real OpenID provider (`oidc-provider`, a certified implementation) in a process of its own, for the
 * sign-in tests (test/helpers/oidc-provider.ts starts it). It serves HTTPS with a throwaway certificate,
 * has its own signing keys and people, a login page people (and Chromium) fill in, and obeys a few
 * commands over IPC: change its people, revoke a person's grants, rotate its keys, sign with a key it
 * does not publish, run its clock ahead or behind. Its own clock only: the app under test keeps the real one.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import Provider, { type Configuration } from 'oidc-provider';

export interface ProviderPerson {
  sub: string;
  email: string;
  name: string;
  email_verified?: boolean;
  /** Microsoft Entra ID's "e-mail domain owner verified" claim; it sends no email_verified. */
  xms_edov?: boolean;
}

export interface ProviderOptions {
  port: number;
  certFile: string;
  keyFile: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  people: ProviderPerson[];
}

const options: ProviderOptions = JSON.parse(process.env.TEST_OIDC_OPTIONS ?? '{}');
const issuer = `https://127.0.0.1:${options.port}`;
const people = new Map(options.people.map((person) => [person.sub, person]));
const grantsOf = new Map<string, string[]>();

let clockOffsetMs = 0;
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + clockOffsetMs;

type Jwk = Record<string, unknown> & { kid: string };
function newSigningKey(kid: string = randomUUID()): Jwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>),
    kid,
    use: 'sig',
    alg: 'RS256',
  };
}

let keys: Jwk[] = [newSigningKey()];
/** What the provider's /jwks publishes: its keys, unless a test makes it sign with one it does not publish. */
let published: Jwk[] = keys;

function publicPart({ d, p, q, dp, dq, qi, ...rest }: Jwk): Record<string, unknown> {
  return rest;
}
const cookieKeys = [randomUUID()];

function makeProvider(signingKeys: Jwk[]): Provider {
  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: signingKeys },
    cookies: { keys: cookieKeys },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    // ID tokens carry the person's claims, as Entra ID, Google and Keycloak do.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const person = people.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: () => ({ ...person }) };
    },
  };
  return new Provider(issuer, configuration);
}

let provider = makeProvider(keys);

const page = (uid: string, problem = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 360px; margin: 3rem auto">
<h1>Test identity provider</h1>
${problem ? `<p role="alert">${problem}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label for="login">User name</label> <input id="login" name="login" autofocus>
<button type="submit">Continue</button>
</form></body></html>`;

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The provider's login page: who you are (by user name = subject); consent is granted at once. */
async function interaction(request: IncomingMessage, response: ServerResponse) {
  const details = await provider.interactionDetails(request, response);
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(details.uid));
    return;
  }
  const login = (await readForm(request)).get('login') ?? '';
  if (!people.has(login)) {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(page(details.uid, 'No such user'));
    return;
  }
  const grant = new provider.Grant({ accountId: login, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  grantsOf.set(login, [...(grantsOf.get(login) ?? []), grantId]);
  await provider.interactionFinished(
    request,
    response,
    { login: { accountId: login }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

const server = https.createServer(
  { cert: fs.readFileSync(options.certFile), key: fs.readFileSync(options.keyFile) },
  (request, response) => {
    if (request.url === '/jwks') {
      response
        .writeHead(200, { 'content-type': 'application/jwk-set+json' })
        .end(JSON.stringify({ keys: published.map(publicPart) }));
      return;
    }
    if (request.url?.startsWith('/interaction/')) {
      interaction(request, response).catch((error: Error) => {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(error.message);
      });
      return;
    }
    provider.callback()(request, response);
  },
);

type Command =
  | { command: 'setPeople'; people: ProviderPerson[] }
  | { command: 'revokeGrants'; sub: string }
  | { command: 'rotateKeys' }
  | { command: 'signWithUnpublishedKey' }
  | { command: 'setClockOffset'; seconds: number };

async function run(message: Command): Promise<unknown> {
  switch (message.command) {
    case 'setPeople':
      people.clear();
      for (const person of message.people) people.set(person.sub, person);
      return null;
    case 'revokeGrants': {
      for (const grantId of grantsOf.get(message.sub) ?? []) {
        await (await provider.Grant.find(grantId))?.destroy();
      }
      grantsOf.delete(message.sub);
      return null;
    }
    case 'rotateKeys':
      // The new key signs; the old one stays published, as providers keep it while its tokens live.
      keys = [newSigningKey(), ...keys];
      published = keys;
      provider = makeProvider(keys);
      return keys[0]?.kid;
    case 'signWithUnpublishedKey': {
      // Same key id as the published key, other key material: a token no published key verifies.
      const impostor = newSigningKey(keys[0]?.kid);
      provider = makeProvider([impostor, ...keys.slice(1)]);
      return null;
    }
    case 'setClockOffset':
      clockOffsetMs = message.seconds * 1000;
      return null;
  }
}

process.on('message', (message: Command & { id: number }) => {
  run(message).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: Error) => process.send?.({ id: message.id, error: error.message }),
  );
});

server.listen(options.port, '127.0.0.1', () => process.send?.({ ready: issuer }));
