import { describe, expect, it } from 'vitest';
import {
  PORTAL_UNVERIFIED_PREFIX,
  billitAuthorizeUrl,
  createBillitClient,
  createBillitPortalUnverified,
  exchangeAuthorizationCode,
  parseAuthorizeRedirect,
} from '../../../electron/core/billit';
import { PORTAL_PREFIX, addDocument, createBillitSimulator, createBillitState, exportDocument } from '../../../electron/demo/billit';
import { API_KEY, FEED, OAUTH_CLIENT, apiKeyClient, buildWorld, startChecked } from './world';
import { findOperation, hasTemplate, loadSwagger } from './swagger';

/**
 * The contract with Billit's public swagger (../shared/contracts/billit-swagger-v1.json):
 * - every route the simulator serves as Billit's API exists in the swagger with that method;
 * - every reply body it sends validates against the swagger's schema for that operation and status
 *   (error replies against Billit's documented `{"errors":[{"Code","Description"}]}`);
 * - every request the client sends uses a path and method the swagger defines, except the portal module's
 *   (`portal-unverified.ts`, by its prefix) and the browser page `/Account/Logon`.
 */

const DIRECT = { 'X-Contract-Test': 'direct' };

describe('Billit contract (swagger 2.0)', () => {
  it('serves only swagger operations, plus the portal module and the browser sign-in page, clearly tagged', () => {
    const swagger = loadSwagger();
    expect(swagger.swagger).toBe('2.0');
    const sim = createBillitSimulator({ state: createBillitState() });
    const routes = sim.routes();
    const swaggerRoutes = routes.filter((r) => r.tag === 'swagger');
    expect(swaggerRoutes.length).toBeGreaterThan(20);
    for (const r of swaggerRoutes) expect(hasTemplate(swagger, r.method, r.pattern), `${r.id} is not in the swagger`).toBe(true);
    for (const r of routes.filter((x) => x.tag !== 'swagger')) {
      if (r.tag === 'portal-modelled') {
        expect(r.pattern.startsWith(PORTAL_PREFIX + '/'), r.id).toBe(true);
        expect(findOperation(swagger, r.method, r.pattern), `${r.id} collides with the swagger`).toBeNull();
      } else {
        expect([r.tag, r.pattern]).toEqual(['oauth-web', '/Account/Logon']);
      }
    }
    // The client's portal module and the simulator's modelled routes are the same, named, separate prefix.
    expect(PORTAL_UNVERIFIED_PREFIX).toBe(PORTAL_PREFIX);
  });

  it('answers every served operation with bodies that validate, and the client sends only swagger requests', async () => {
    let now = Date.parse('2026-05-01T09:00:00Z');
    const world = buildWorld({ now: () => new Date(now), orders: 130 });
    const doc = addDocument(world.state, world.linked.partyId, {
      name: 'Huurcontract',
      file: { fileName: 'huur.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 huur') },
    });
    exportDocument(world.state, doc.documentId);
    const checked = await startChecked(world.state);
    const { url, sim } = checked;
    try {
      // ---- Everything the client does, API key and OAuth
      const client = apiKeyClient(url, world, { timing: { now: () => now } });
      await client.accountInformation();
      const orders = await client.listOrders(world.linked.partyId);
      const order = await client.getOrder(world.linked.partyId, orders[0]!.OrderID!);
      await client.getOrderFiles(world.linked.partyId, order);
      await client.listDeletedOrders(world.linked.partyId, { since: '2026-01-01' });
      await client.listParties(world.linked.partyId, { partyType: 'Supplier', modifiedSince: new Date('2026-01-01T00:00:00Z') });
      const partyId = await client.createOrUpdateParty(world.linked.partyId, { PartyType: 'Customer', Name: 'Frituur Marcel', Nr: 'C777' });
      await client.getParty(world.linked.partyId, partyId);
      await client.registerCompany({ Company: { Name: 'Nieuwe Klant BV', Email: 'nieuw@klant.be', Phone: '+32 2 000 00 00', VATNumber: 'BE0202239951' } });
      await client.registerCompany({ Company: { Name: 'X', Email: 'x@x.be', Phone: '1', VATNumber: world.linked.vatNumber } }).catch(() => undefined);
      await client.ensureFeed('contract-feed');
      const items = await client.pollFeed(FEED);
      for (const item of items) {
        const entity = await client.fetchFeedEntity(item);
        if (entity.kind !== 'order') await client.downloadFeedItem(FEED, item.FeedItemID);
        await client.confirmFeedItem(FEED, item.FeedItemID, { remotePath: `/venice/${item.FeedItemID}`, remoteServerName: 'desk-01' });
      }
      await client.deleteFeed('contract-feed');
      await client.searchCompanyByEnterpriseNumber(world.linked.enterpriseNumber);
      await client.searchCompanies('Bakkerij');
      await client.peppolParticipant(world.linked.vatNumber, { onlyCheckDns: true });
      await client.peppolParticipant('0999999972');
      await client.listOrders(world.notLinked.partyId).catch(() => undefined); // 401 body
      await createBillitClient({ baseUrl: url, auth: { kind: 'api-key', apiKey: 'not-a-key' } }).accountInformation().catch(() => undefined);

      const portal = createBillitPortalUnverified(client);
      await portal.findBillitCompany(world.notLinked.enterpriseNumber);
      const link = await portal.sendLinkRequest(world.notLinked.enterpriseNumber);
      await portal.getLinkRequest(link.linkRequestId);
      await portal.sendLoginData(world.notActivated.partyId);

      const authorize = billitAuthorizeUrl({ webBaseUrl: url, clientId: OAUTH_CLIENT.clientId, redirectUri: OAUTH_CLIENT.redirectUri, state: 's' });
      await fetch(authorize, { headers: DIRECT });
      const consent = await fetch(`${url}/Account/Logon`, {
        method: 'POST',
        headers: DIRECT,
        redirect: 'manual',
        body: new URLSearchParams({ client_id: OAUTH_CLIENT.clientId, redirect_uri: OAUTH_CLIENT.redirectUri, state: 's', decision: 'allow' }),
      });
      const { code } = parseAuthorizeRedirect(consent.headers.get('location')!, 's');
      const tokens = await exchangeAuthorizationCode({ baseUrl: url, ...OAUTH_CLIENT, code, redirectUri: OAUTH_CLIENT.redirectUri, timing: { now: () => now } });
      const oauth = createBillitClient({
        baseUrl: url,
        timing: { now: () => now },
        auth: { kind: 'oauth', clientId: OAUTH_CLIENT.clientId, clientSecret: OAUTH_CLIENT.clientSecret, tokens, saveTokens: async () => {} },
      });
      now += 3600_000;
      await oauth.accountInformation();

      // ---- Operations the client does not use, called directly so every served route is checked
      const headers = { ...DIRECT, ApiKey: API_KEY, PartyID: String(world.linked.partyId), 'Content-Type': 'application/json' };
      await fetch(`${url}/v1/parties/${partyId}`, { method: 'PATCH', headers, body: JSON.stringify({ Email: 'marcel@frituur.be' }) });
      await fetch(`${url}/v1/orders/${orders.at(-1)!.OrderID}`, { method: 'DELETE', headers });
      await fetch(`${url}/v1/documents`, { headers });
      const current = oauth.currentAuth();
      if (current.kind === 'oauth')
        await fetch(`${url}/OAuth2/revoke`, { method: 'POST', headers: { ...DIRECT, Authorization: `Bearer ${current.tokens.accessToken}` } });

      // ---- The contract
      expect(checked.violations).toEqual([]);
      const served = sim.routes().filter((r) => r.tag === 'swagger').map((r) => r.id);
      expect(served.filter((id) => !checked.exercised.has(id))).toEqual([]);

      const swagger = loadSwagger();
      const fromClient = sim.requestLog().filter((e) => e.headers['x-contract-test'] !== 'direct');
      expect(fromClient.length).toBeGreaterThan(30);
      const outside = fromClient.filter((e) => !findOperation(swagger, e.method, e.path));
      expect(outside.length).toBeGreaterThan(0);
      expect(outside.filter((e) => !e.path.startsWith(PORTAL_UNVERIFIED_PREFIX + '/')).map((e) => `${e.method} ${e.path}`)).toEqual([]);
    } finally {
      await checked.close();
    }
  });
});
