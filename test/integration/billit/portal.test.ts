import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { type BillitError, createBillitClient, createBillitPortalUnverified } from '../../../electron/core/billit';
import { PORTAL_PREFIX } from '../../../electron/demo/billit';
import { createSimServer, type SimServer } from '../../../electron/demo/sim-server';
import { API_KEY, apiKeyClient, buildWorld, fastTiming, nonSwaggerRequests, startChecked, type CheckedSimulator } from './world';

let running: CheckedSimulator | null = null;
let other: SimServer | null = null;
afterEach(async () => {
  if (running) {
    expect(running.violations).toEqual([]);
    // Only the portal module's requests are outside the swagger.
    expect(nonSwaggerRequests(running.sim.requestLog())).toEqual([]);
    await running.close();
  }
  await other?.close();
  running = null;
  other = null;
});

describe('portal steps (modelled, unverified against production)', () => {
  it('tells whether an enterprise number is a Billit company and whether it is linked', async () => {
    let now = Date.parse('2026-05-01T09:00:00Z');
    const world = buildWorld({ now: () => new Date(now) });
    running = await startChecked(world.state);
    const portal = createBillitPortalUnverified(apiKeyClient(running.url, world));
    expect(await portal.findBillitCompany('0999.999.972')).toMatchObject({ isBillitCompany: false, linkedToOffice: false });
    expect(await portal.findBillitCompany(world.notLinked.vatNumber)).toMatchObject({
      isBillitCompany: true,
      partyId: world.notLinked.partyId,
      linkedToOffice: false,
    });
    expect(await portal.findBillitCompany(world.notActivated.enterpriseNumber)).toMatchObject({ linkedToOffice: true, loginActivated: false });
    const log = running.sim.requestLog();
    expect(log.every((e) => e.path.startsWith(PORTAL_PREFIX))).toBe(true);
    expect(log.every((e) => e.routeTag === 'portal-modelled')).toBe(true);
    now += 1;
  });

  it('sends a link request that stays pending until the demo entrepreneur accepts; the company then appears', async () => {
    const world = buildWorld();
    running = await startChecked(world.state);
    const client = apiKeyClient(running.url, world);
    const portal = createBillitPortalUnverified(client);
    const request = await portal.sendLinkRequest(world.notLinked.enterpriseNumber);
    expect(request).toMatchObject({ state: 'pending', partyId: world.notLinked.partyId });
    // Sending it again (e.g. a retry) does not make a second request.
    expect((await portal.sendLinkRequest(world.notLinked.enterpriseNumber)).linkRequestId).toBe(request.linkRequestId);
    expect((await portal.getLinkRequest(request.linkRequestId)).state).toBe('pending');
    const orders = await client.listOrders(world.notLinked.partyId).catch((e: unknown) => e);
    expect((orders as BillitError).code).toBe('auth');

    const accepted = await fetch(`${running.url}${PORTAL_PREFIX}/demo/link-requests/${request.linkRequestId}/accept`, { method: 'POST' });
    expect(accepted.status).toBe(200);
    expect((await portal.getLinkRequest(request.linkRequestId)).state).toBe('accepted');
    const info = await client.accountInformation();
    expect(info.Companies?.map((c) => c.PartyID)).toContain(world.notLinked.partyId);
    await expect(client.listOrders(world.notLinked.partyId)).resolves.toEqual([]);
  });

  it('decides by timer when the entrepreneur is set to answer on their own, and can refuse', async () => {
    let now = Date.parse('2026-05-01T09:00:00Z');
    const world = buildWorld({ now: () => new Date(now) });
    world.notLinked.entrepreneur = { decision: 'refuse', afterMs: 5_000 };
    running = await startChecked(world.state);
    const portal = createBillitPortalUnverified(apiKeyClient(running.url, world));
    const request = await portal.sendLinkRequest(world.notLinked.vatNumber);
    now += 4_000;
    expect((await portal.getLinkRequest(request.linkRequestId)).state).toBe('pending');
    now += 1_000;
    expect((await portal.getLinkRequest(request.linkRequestId)).state).toBe('refused');
    expect(world.notLinked.linkedToOffice).toBe(false);
  });

  it('sends login data to a company whose login is not activated yet', async () => {
    const world = buildWorld();
    running = await startChecked(world.state);
    const portal = createBillitPortalUnverified(apiKeyClient(running.url, world));
    const sent = await portal.sendLoginData(world.notActivated.partyId, 'zaakvoerder@garage-dubois.be');
    expect(sent.sentTo).toBe('zaakvoerder@garage-dubois.be');
    expect(world.notActivated.loginDataSentTo).toBe('zaakvoerder@garage-dubois.be');
    const already = await portal.sendLoginData(world.linked.partyId).catch((e: unknown) => e);
    expect((already as BillitError).hasCode('LoginAlreadyActivated')).toBe(true);
  });

  it('says clearly that the step is not available where Billit has no such endpoint', async () => {
    // A server with only public routes, like Billit's real API.
    other = createSimServer({ routes: [] });
    const { url } = await other.start();
    const client = createBillitClient({ baseUrl: url, auth: { kind: 'api-key', apiKey: API_KEY }, timing: fastTiming().timing });
    const portal = createBillitPortalUnverified(client);
    const error = (await portal.findBillitCompany('0417497106').catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('remote');
    expect(error.message).toContain("Billit's accountant portal");
  });
});
