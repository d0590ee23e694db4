/**
 * `startDemoOffice`: both simulators on loopback from one call, seeded from one world that the Billit and
 * Venice sides agree on, reachable with the printed credentials, and closed cleanly.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VeniceClient, listDossiers } from '../../../electron/core/venice';
import { startDemoOffice, type DemoOffice } from '../../../electron/demo/office';
import { renderUbl } from '../../../electron/demo/seed/documents';
import { parseUbl, validateUbl } from '../../../shared/ubl';
import { hasErrors } from '../../../shared/findings';
import { parseCoda, validateCoda } from '../../../shared/coda';

let office: DemoOffice;

async function billit(path: string, init: { partyId?: number; method?: string; body?: unknown } = {}) {
  const response = await fetch(`${office.billitUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ApiKey: office.credentials.billit.apiKey,
      Accept: 'application/json',
      ...(init.partyId ? { PartyID: String(init.partyId) } : {}),
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Billit's JSON, read field by field below
  return { status: response.status, json: (text ? JSON.parse(text) : null) as any };
}

beforeAll(async () => {
  office = await startDemoOffice({ seed: 5 });
});

afterAll(async () => {
  await office.close();
});

describe('the demo office', () => {
  it('serves Billit and Venice Cloud on two loopback ports', () => {
    const b = new URL(office.billitUrl);
    const v = new URL(office.veniceUrl);
    expect(b.hostname).toBe('127.0.0.1');
    expect(v.hostname).toBe('127.0.0.1');
    expect(b.port).not.toBe(v.port);
    expect(office.world.dossiers).toHaveLength(40);
  });

  it('lets the Venice login list the dossiers and read their relations', async () => {
    const venice = new VeniceClient({ baseUrl: office.veniceUrl, ...office.credentials.venice });
    const dossiers = await listDossiers(venice);
    expect(dossiers.map((d) => d.veniceId).sort()).toEqual(office.world.dossiers.map((d) => d.veniceId).sort());
    const readable = office.world.dossiers.find((d) => d.header.webConnect)!;
    expect(await venice.listCustomers(readable.veniceId)).toHaveLength(readable.customers().length);
  });

  it('lets the Billit API key reach the office and exactly the companies linked to it', async () => {
    const { status, json } = await billit('/v1/account/accountInformation');
    expect(status).toBe(200);
    const ids = new Set<number>(json.Companies.map((c: { PartyID: number }) => c.PartyID));
    expect(ids.has(office.credentials.billit.officePartyId)).toBe(true);
    for (const d of office.world.dossiers) {
      const partyId = office.billit.population.companyOf.get(d.index);
      if (d.billit === 'absent') expect(partyId).toBeUndefined();
      else expect(ids.has(partyId!)).toBe(d.billit === 'linked' || d.billit === 'login-pending');
    }
  });

  it("holds a linked dossier's invoices in Billit, with their UBL and PDF files", async () => {
    const dossier = office.world.dossiers.find((d) => d.billit === 'linked')!;
    const partyId = office.billit.population.companyOf.get(dossier.index)!;
    const numbers: string[] = [];
    for (let path: string | null = '/v1/orders?$top=120'; path; ) {
      const page: { json: { Items: Array<{ OrderNumber: string }>; NextPageLink: string | null } } = await billit(path, { partyId });
      numbers.push(...page.json.Items.map((o) => o.OrderNumber));
      path = page.json.NextPageLink ? page.json.NextPageLink.replace(office.billitUrl, '') : null;
    }
    expect(numbers.sort()).toEqual(dossier.invoices().map((i) => i.number).sort());

    const invoice = dossier.invoices()[0]!;
    const orderId = office.billit.population.orderOf.get(invoice.key)!;
    const order = (await billit(`/v1/orders/${orderId}`, { partyId })).json;
    expect(order.TotalIncl).toBe(invoice.totalInclCents / 100);
    const xml = order.Attachments.find((a: { FileName: string }) => a.FileName.endsWith('.xml'));
    const file = (await billit(`/v1/files/${xml.FileID}`, { partyId })).json;
    const bytes = Buffer.from(file.FileContent, 'base64');
    expect(bytes.equals(Buffer.from(renderUbl(dossier, invoice)))).toBe(true);
    const parsed = parseUbl(bytes);
    expect(parsed.ok && !hasErrors(validateUbl(parsed.value, { dossierEnterpriseNumber: dossier.header.enterpriseNumber! }))).toBe(true);
    const pdf = (await billit(`/v1/files/${order.OrderPDF.FileID}`, { partyId })).json;
    expect(Buffer.from(pdf.FileContent, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('fills an accountant feed when the demo entrepreneurs export their pending documents', async () => {
    const created = await billit('/v1/accountant/feeds', { method: 'POST', body: { Name: 'venice-demo-test' } });
    expect(created.status).toBe(200);
    const pending = office.billit.population.pending.length;
    const pendingCoda = office.billit.population.pending.filter((p) => p.kind === 'coda').length;
    expect(pending).toBeGreaterThan(0);
    expect(pendingCoda).toBeGreaterThan(0);
    expect(office.billit.exportPending()).toBe(pending);
    const feed = await billit('/v1/accountant/feeds/venice-demo-test');
    expect(feed.status).toBe(200);
    const items = Array.isArray(feed.json) ? feed.json : (feed.json.Items ?? feed.json.FeedItems);
    expect(items).toHaveLength(pending);
    const codas = items.filter((i: { EntityType: string }) => i.EntityType === 'CODA');
    expect(codas).toHaveLength(pendingCoda);
    const file = await billit(`/v1/accountant/feeds/venice-demo-test/${codas[0].FeedItemID}`);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(file.json.FileContent, 'base64');
    expect(file.json.FileContentSHA256Hash).toBe(createHash('sha256').update(bytes).digest('hex'));
    const parsed = parseCoda(bytes);
    expect(parsed.ok && !hasErrors(validateCoda(parsed.value))).toBe(true);
  });

  it('gives the same world and credentials for the same seed', async () => {
    const again = await startDemoOffice({ seed: 5, dossiers: 40 });
    try {
      expect(again.credentials).toEqual({ ...office.credentials });
      expect(again.world.dossiers.map((d) => d.header)).toEqual(office.world.dossiers.map((d) => d.header));
      expect(again.billitUrl).not.toBe(office.billitUrl);
    } finally {
      await again.close();
    }
  });

  it('closes both servers, and closing twice is harmless', async () => {
    const other = await startDemoOffice({ seed: 9, dossiers: 8 });
    const urls = [other.billitUrl, other.veniceUrl];
    await other.close();
    await other.close();
    for (const url of urls) await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('passes fault rules to each simulator', async () => {
    const faulty = await startDemoOffice({
      seed: 9,
      dossiers: 4,
      faults: { venice: [{ kind: 'server-error', status: 503, route: '*' }] },
    });
    try {
      const venice = new VeniceClient({ baseUrl: faulty.veniceUrl, ...faulty.credentials.venice, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 } });
      await expect(listDossiers(venice)).rejects.toMatchObject({ code: 'remote', details: { status: 503 } });
      expect(faulty.venice.server.requestLog()).toHaveLength(2);
      expect((await fetch(`${faulty.billitUrl}/v1/account/accountInformation`, { headers: { ApiKey: faulty.credentials.billit.apiKey } })).status).toBe(200);
    } finally {
      await faulty.close();
    }
  });
});
