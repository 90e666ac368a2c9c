// A development OpenID provider: oidc-provider (a certified implementation) with demo
// accounts, for `make run` and the login tests. Never for production.
//
// Environment: OIDC_PORT (0 picks a free port), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
// OIDC_REDIRECT_URIS and OIDC_POST_LOGOUT_REDIRECT_URIS (comma-separated);
// OIDC_AS_PROCONNECT=1 makes it behave as the French State's ProConnect does for the
// parts a client sees: the ID token names nobody (the email, the name and the SIRET come
// from the userinfo endpoint, as a signed JWT), `acr_values` eidas1, no email_verified.
// Prints "issuer <url>" on stdout once it accepts connections.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const accounts = JSON.parse(readFileSync(new URL('./accounts.json', import.meta.url), 'utf8'));
const list = (value) => (value || '').split(',').map((s) => s.trim()).filter(Boolean);

const proConnect = process.env.OIDC_AS_PROCONNECT === '1';

const server = createServer();
server.listen(Number(process.env.OIDC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: process.env.OIDC_CLIENT_ID || 'maillage-gateway',
      client_secret: process.env.OIDC_CLIENT_SECRET || 'maillage-dev-secret',
      redirect_uris: list(process.env.OIDC_REDIRECT_URIS),
      post_logout_redirect_uris: list(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      ...(proConnect ? { userinfo_signed_response_alg: 'RS256' } : {}),
    }],
    pkce: { required: () => true },
    // email and name in the ID token, as most enterprise providers do (ProConnect: in the
    // userinfo only).
    conformIdTokenClaims: proConnect,
    claims: proConnect
      ? { openid: ['sub'], email: ['email'], profile: ['name', 'given_name', 'usual_name', 'siret'] }
      : { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'locale'] },
    ...(proConnect ? { acrValues: ['eidas1'] } : {}),
    cookies: { keys: ['maillage-dev-cookie-key-not-a-secret'] },
    // Logging out of Maillage ends the session here too (RP-initiated logout): ask in
    // French, with nothing loaded from elsewhere.
    features: {
      jwtUserinfo: { enabled: proConnect },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Déconnexion</title></head><body>
<h1>Vous déconnecter aussi du fournisseur d'identité de démonstration ?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Oui, me déconnecter</button>
<button type="submit" form="op.logoutForm">Non, rester connecté</button>
</body></html>`;
        },
      },
    },
    async findAccount(_ctx, id) {
      const account = accounts.find((a) => a.id === id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          if (proConnect) {
            const [given, ...usual] = account.name.split(' ');
            return { sub: id, email: account.email, given_name: given, usual_name: usual.join(' '), siret: '21690123100011' };
          }
          return { sub: id, email: account.email, email_verified: true, name: account.name, locale: account.locale };
        },
      };
    },
    // Maillage is a first-party client: skip the consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  console.log(`issuer ${issuer}`);
});
