// A real OpenID Connect provider for the tests: node-oidc-provider (a certified
// implementation), one confidential client, PKCE required, the test's users, and a minimal
// login form of our own (user name and password; "Cancel" answers access_denied).
//
// Usage: node provider.mjs CONFIG.json, where CONFIG holds
//   { "module": ".../node_modules/oidc-provider", "client_id", "client_secret",
//     "redirect_uris": [...], "jwk": {private signing key, with kid},
//     "users": [{ "sub", "login", "password", "email", "email_verified", "name" }],
//     "port": 0 or the port to listen on (a restarted provider keeps its issuer) }
// It listens on a free loopback port (or the one given) and prints one line, {"issuer": "http://127.0.0.1:PORT"},
// once it answers.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { default: Provider } = await import(pathToFileURL(join(config.module, 'lib', 'index.js')).href);

const byLogin = new Map(config.users.map((user) => [user.login, user]));
const bySub = new Map(config.users.map((user) => [user.sub, user]));

const server = http.createServer();
await new Promise((resolve) => { server.listen(config.port || 0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  jwks: { keys: [config.jwk] },
  cookies: { keys: ['ptghub tests only'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const user = bySub.get(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: user.email, email_verified: user.email_verified, name: user.name };
      },
    };
  },
  // ptghub is the provider's own first-party client here: consent is implied.
  async loadExistingGrant(ctx) {
    const { client, session, provider: self } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    if (grantId) return self.Grant.find(grantId);
    const grant = new self.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
provider.on('server_error', (ctx, error) => { console.error('server_error', error); });

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, problem) {
  return `<!doctype html><html lang="en"><head><title>Sign in to the test provider</title></head>
<body><h1>Sign in to the test provider</h1>
${problem ? `<p class="problem">${escape(problem)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label>User name <input name="login" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>
</body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, abort) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('this interaction is not the browser\'s');
  if (abort) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'The user cancelled the sign-in.',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid));
    return;
  }
  const form = await readForm(req);
  const user = byLogin.get(form.get('login'));
  if (!user || user.password !== form.get('password')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid, 'Wrong user name or password.'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, {
    mergeWithLastSubmission: false,
  });
}

const handle = provider.callback();
server.on('request', (req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/abort)?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) {
    handle(req, res);
    return;
  }
  interaction(req, res, match[1], Boolean(match[2])).catch((error) => {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`interaction refused: ${error.message}`);
  });
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
