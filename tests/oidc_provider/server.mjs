// A real OpenID Connect provider (panva/oidc-provider) for the sign-in tests, on loopback.
//
// Started by tests/oidc_fixture.py with its settings in the environment:
//   PORT      the port to listen on (127.0.0.1)
//   CLIENTS   JSON list of clients: {client_id, client_secret, redirect_uris}
//   ACCOUNTS  JSON object: sub -> {login, password, claims: {...}, amr: [...], acr: "..."}
//   KEY_ID    the "kid" of the RSA key it signs ID tokens with; the key itself is made afresh
//             at every start (so two starts with the same KEY_ID sign with different keys)
// The sign-in page is a minimal one of its own (login and password checked against ACCOUNTS,
// a "Hủy" button that ends with access_denied); consent is given for the configured clients.
// It prints "listening <issuer>" on stdout once it answers.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.CLIENTS || '[]');
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const keyId = process.env.KEY_ID || 'test-key';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: keyId, use: 'sig', alg: 'RS256' };

const configuration = {
  clients: clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...c,
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-cookie-key-not-secret'] },
  pkce: { required: () => true },
  claims: {
    // acr, amr and auth_time in every ID token, as identity services commonly send them
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  conformIdTokenClaims: false, // the scope's claims go in the ID token itself
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  async loadExistingGrant(ctx) {
    // Every configured client is trusted: consent is given without asking.
    const { client, session } = ctx.oidc;
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 300, AuthorizationCode: 60, IdToken: 300 },
};

const provider = new Provider(issuer, configuration);
const handle = provider.callback();

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(uid, message) {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng định danh (thử)</title></head>
<body><h1>Cổng định danh của tỉnh (thử nghiệm)</h1>
${message ? `<p id="op-error">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Tài khoản <input id="op-login" name="login" autocomplete="off"></label>
<label>Mật khẩu <input id="op-password" name="password" type="password"></label>
<button id="op-submit" type="submit">Đăng nhập</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button id="op-abort" type="submit">Hủy</button></form>
</body></html>`;
}

async function body(req) {
  let data = '';
  for await (const chunk of req) {
    data += chunk;
    if (data.length > 10000) break;
  }
  return new URLSearchParams(data);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET' && !action) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(page(uid));
    return;
  }
  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await body(req);
    const entry = Object.entries(accounts).find(([, a]) => a.login === form.get('login'));
    if (!entry || entry[1].password !== form.get('password')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page(uid, 'Sai tài khoản hoặc mật khẩu.'));
      return;
    }
    const [sub, account] = entry;
    const login = { accountId: sub, amr: account.amr || ['pwd'] };
    if (account.acr) login.acr = account.acr;
    await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(405);
  res.end();
}

const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(req.url.split('?')[0]);
  if (!match) {
    handle(req, res);
    return;
  }
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (error) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`interaction error: ${error.message}`);
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
