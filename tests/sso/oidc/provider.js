// The regional identity provider of the SSO tests: oidc-provider (a certified OpenID Connect
// implementation) with one confidential client, the portal, and the test accounts.
//
//   node tests/sso/oidc/provider.js CONFIG.json
//
// CONFIG: {"issuer": "http://127.0.0.1:PORT", "port": PORT, "client": {client_id, client_secret,
// redirect_uris}, "accounts": [{login, password, sub, email, email_verified, groups}]}.
// Its sign-in page is a plain form (login, password) that checks the password; consent is
// granted without asking, as a region's own provider does for its own services. Prints
// "ready" once it listens on 127.0.0.1, and stops on SIGTERM.

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bySub = new Map(config.accounts.map((account) => [account.sub, account]));
const byLogin = new Map(config.accounts.map((account) => [account.login, account]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(config.issuer, {
  clients: [{
    ...config.client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['iom-test-provider-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'groups'],
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = bySub.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const claims = { sub, groups: account.groups || [] };
        if (account.email !== undefined) claims.email = account.email;
        if (account.email_verified !== undefined) claims.email_verified = account.email_verified;
        return claims;
      },
    };
  },
  // First-party client: the grant is given at sign-in, with every scope the client asked for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
    return grant;
  },
});

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function page(uid, message) {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Региональный вход</title></head><body>
<h1>Вход в региональную учетную запись</h1>${message ? `<p class="error">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label>Логин <input name="login" autocomplete="username"></label>
<label>Пароль <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Войти</button></form></body></html>`;
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name !== 'login') {
    // consent is granted by loadExistingGrant; nothing else is asked
    return provider.interactionFinished(ctx.req, ctx.res, {}, { mergeWithLastSubmission: true });
  }
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page(match[1]);
    return undefined;
  }
  const form = await readForm(ctx.req);
  const account = byLogin.get(form.get('login'));
  if (!account || account.password !== form.get('password')) {
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = page(match[1], 'Неверный логин или пароль');
    return undefined;
  }
  return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.sub } },
    { mergeWithLastSubmission: false });
});

const server = provider.listen(config.port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
