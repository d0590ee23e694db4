/**
 * Adding Venice dossiers to Billit: what Billit already knows about each enterprise number, "Add or
 * resync" (create, or ask for the accountant's "Connect", or resync a linked company and import its
 * relations), the link request and its state, and "send login data".
 *
 * The cache keeps Billit's answer per dossier; `link-confirmation-needed` is stored as `not-linked` with
 * that reason, since it is a step of the accountant's, not a state Billit knows.
 */
import { AppError, type AddResult, type BillitPartyId, type BillitStatus, type LinkChange, type LoginDataSent, type RelationsResult } from '../../../shared/api';
import { parseEnterpriseNumber } from '../../../shared/belgian';
import type { DossierRecord, LinkState } from '../cache/types';
import type { Logger } from '../log';
import type { VeniceRelation } from '../venice/types';
import { mapLimit } from '../lib/limit';
import type { BillitCompanies, BillitCompanyState, VeniceSource } from './ports';
import { importRelations } from './relations';
import type { Cache } from '../cache';

export const CONFIRMATION_NEEDED = 'link-confirmation-needed';

export function statusOf(d: Pick<DossierRecord, 'linkState' | 'linkReason'>): BillitStatus {
  switch (d.linkState) {
    case 'unknown':
    case 'not-in-billit':
      return 'not-in-billit';
    case 'not-linked':
      return d.linkReason === CONFIRMATION_NEEDED ? 'link-confirmation-needed' : 'not-linked';
    default:
      return d.linkState;
  }
}

/** The cache states a list filter on a contract status means. */
export function statesOf(status: BillitStatus): LinkState[] {
  if (status === 'not-in-billit') return ['not-in-billit', 'unknown'];
  if (status === 'link-confirmation-needed') return ['not-linked'];
  return [status];
}

function stateFrom(company: BillitCompanyState | null): LinkState {
  if (!company) return 'not-in-billit';
  if (company.linked) return company.loginActivated ? 'linked' : 'login-not-activated';
  if (company.linkRequest === 'pending') return 'link-pending';
  if (company.linkRequest === 'refused') return 'link-refused';
  return 'not-linked';
}

const RELATIONS_KEY = (veniceId: string) => `relations:${veniceId}`;

export interface LinksDeps {
  billit: BillitCompanies;
  venice: VeniceSource;
  cache: Pick<Cache, 'dossiers' | 'parties' | 'cursors'>;
  log: Logger;
  onChanged(ids: string[]): void;
  /** A dossier's Billit state changed, whatever the cause (the UI raises a notice). */
  onLinkChanged?(change: LinkChange): void;
  now?: () => number;
  concurrency?: number;
}

/** The link states Billit may change on its own (the entrepreneur answers, activates the login…). */
const UNSETTLED: ReadonlySet<LinkState> = new Set(['link-pending', 'not-linked', 'link-refused', 'login-not-activated']);

export class DossierLinks {
  constructor(private readonly deps: LinksDeps) {}

  private now(): string {
    return new Date(this.deps.now?.() ?? Date.now()).toISOString();
  }

  /** Every change of link state goes through here, so none happens without its event. */
  private async setLink(d: DossierRecord, link: { state: LinkState; reason: string | null; billitPartyId: BillitPartyId | null }): Promise<void> {
    await this.deps.cache.dossiers.setLink(d.id, link);
    const previous = statusOf(d);
    const status = statusOf({ linkState: link.state, linkReason: link.reason });
    // A dossier's first answer from Billit is not a change anyone waited for.
    if (previous !== status && d.linkState !== 'unknown') this.deps.onLinkChanged?.({ id: d.veniceId, name: d.name, previous, status, at: this.now() });
  }

  /** Whether a link request waits for the entrepreneur (the watch polls while one does). */
  anyPending(): boolean {
    return this.deps.cache.dossiers.all().some((d) => d.linkState === 'link-pending');
  }

  /** At start-up: ask Billit again about every dossier whose state Billit may have changed meanwhile. */
  async refreshUnsettled(signal?: AbortSignal): Promise<string[]> {
    const unsettled = this.deps.cache.dossiers.all().filter((d) => UNSETTLED.has(d.linkState));
    const changed = await this.updateStates(unsettled, signal);
    if (changed.length) this.deps.onChanged(changed);
    return changed;
  }

  lastRelations(veniceId: string): RelationsResult | null {
    const raw = this.deps.cache.cursors.get(RELATIONS_KEY(veniceId));
    return raw ? (JSON.parse(raw) as RelationsResult) : null;
  }

  /** Re-read the office's dossiers from Venice Cloud and what Billit knows of each. */
  async refresh(signal?: AbortSignal): Promise<{ dossiers: number }> {
    const { venice, cache } = this.deps;
    const dossiers = await venice.dossiers(signal);
    await cache.dossiers.upsertMany(
      dossiers.map((d) => {
        const known = cache.dossiers.byVeniceId(d.veniceId);
        return {
          veniceId: d.veniceId,
          name: d.name,
          enterpriseNumber: d.enterpriseNumber,
          // An e-mail the accountant completed is kept when Venice still has none.
          email: d.email ?? known?.email ?? null,
          language: d.language,
          address: d.address ? { street: [d.address.street, d.address.streetNumber].filter(Boolean).join(' '), postalCode: d.address.zipcode, city: d.address.city, country: d.address.countryCode } : null,
        };
      }),
    );
    const records = dossiers.map((d) => cache.dossiers.byVeniceId(d.veniceId)!).filter(Boolean);
    const changed = await this.updateStates(records, signal);
    if (changed.length) this.deps.onChanged(changed);
    return { dossiers: dossiers.length };
  }

  /** Ask Billit again about these dossiers; returns the Venice ids whose state changed. */
  async updateStates(records: DossierRecord[], signal?: AbortSignal): Promise<string[]> {
    const changed: string[] = [];
    await mapLimit(records, this.deps.concurrency ?? 8, async (d) => {
      if (!d.enterpriseNumber) return;
      const company = await this.deps.billit.companyByEnterpriseNumber(d.enterpriseNumber, signal);
      if (await this.record(d, company)) changed.push(d.veniceId);
    });
    return changed;
  }

  /** Store Billit's answer; true when the state changed. A company just linked gets its relations. */
  private async record(d: DossierRecord, company: BillitCompanyState | null, signal?: AbortSignal): Promise<boolean> {
    const state = stateFrom(company);
    const partyId = company ? company.partyId : null;
    const keepConfirmation = state === 'not-linked' && d.linkState === 'not-linked' && d.linkReason === CONFIRMATION_NEEDED;
    const reason = keepConfirmation ? CONFIRMATION_NEEDED : null;
    if (state === d.linkState && partyId === d.billitPartyId && reason === d.linkReason) return false;
    await this.setLink(d, { state, reason, billitPartyId: partyId });
    const becameLinked = (state === 'linked' || state === 'login-not-activated') && d.linkState === 'link-pending';
    if (becameLinked && company) {
      try {
        await this.importRelations({ ...d, billitPartyId: partyId }, company.partyId, signal);
      } catch (error) {
        this.deps.log.warn(`relations of ${d.veniceId} not imported after the link was accepted`, error);
      }
    }
    return true;
  }

  /** During a sync: the link requests still waiting for the entrepreneur. */
  async pollPending(scope: string[] | null, signal?: AbortSignal): Promise<string[]> {
    const pending = this.deps.cache.dossiers
      .all()
      .filter((d) => d.linkState === 'link-pending' && (scope === null || scope.includes(d.veniceId)));
    const changed = await this.updateStates(pending, signal);
    if (changed.length) this.deps.onChanged(changed);
    return changed;
  }

  async addOrResync(items: Array<{ id: string; email?: string }>): Promise<AddResult[]> {
    const results = await mapLimit(items, 4, (item) => this.addOne(item.id, item.email));
    const ids = results.filter((r) => r.outcome !== 'failed').map((r) => r.id);
    if (ids.length) this.deps.onChanged(ids);
    return results;
  }

  private fail(id: string, status: BillitStatus, code: string, message: string): AddResult {
    return { id, outcome: 'failed', reason: { code, message }, status };
  }

  private async addOne(id: string, email?: string): Promise<AddResult> {
    const { cache, billit, log } = this.deps;
    const d = cache.dossiers.byVeniceId(id);
    if (!d) return this.fail(id, 'not-in-billit', 'not-found', `Unknown dossier ${id}; refresh the list first`);
    try {
      const ent = d.enterpriseNumber ? parseEnterpriseNumber(d.enterpriseNumber) : null;
      if (!ent?.ok) return this.fail(id, statusOf(d), 'no-enterprise-number', 'The dossier has no valid enterprise number in Venice');
      const mail = email ?? d.email;
      if (email && email !== d.email) await cache.dossiers.upsertMany([{ veniceId: d.veniceId, name: d.name, email, enterpriseNumber: d.enterpriseNumber, language: d.language, address: d.address }]);
      const company = await billit.companyByEnterpriseNumber(ent.value);
      if (!company) {
        if (!mail) return this.fail(id, 'not-in-billit', 'email-required', 'Complete the e-mail address to create the company in Billit');
        const created = await billit.registerCompany({ name: d.name, enterpriseNumber: ent.value, email: mail, language: d.language, address: d.address });
        await this.setLink(d, { state: 'login-not-activated', reason: 'created', billitPartyId: created.partyId });
        const relations = await this.importRelations(d, created.partyId);
        return { id, outcome: 'created', relations, status: 'login-not-activated' };
      }
      const state = stateFrom(company);
      if (state === 'linked' || state === 'login-not-activated') {
        await this.setLink(d, { state, reason: 'resynced', billitPartyId: company.partyId });
        const relations = await this.importRelations(d, company.partyId);
        return { id, outcome: 'resynced', relations, status: state };
      }
      if (state === 'link-pending') {
        await this.record(d, company);
        return { id, outcome: 'link-requested', status: 'link-pending', reason: { code: 'link-pending', message: 'Waiting for the entrepreneur to accept the link' } };
      }
      await this.setLink(d, { state: 'not-linked', reason: CONFIRMATION_NEEDED, billitPartyId: company.partyId });
      return {
        id,
        outcome: 'link-confirmation-needed',
        status: 'link-confirmation-needed',
        reason: { code: 'link-confirmation-needed', message: 'This company already uses Billit: confirm to send it a link request' },
      };
    } catch (error) {
      log.warn(`add or resync of ${id} failed`, error);
      const code = error instanceof AppError ? error.code : 'internal';
      const current = cache.dossiers.byVeniceId(id);
      return this.fail(id, current ? statusOf(current) : 'not-in-billit', code, error instanceof Error ? error.message : String(error));
    }
  }

  /** The accountant's "Connect": send the link request. */
  async confirmLink(id: string): Promise<AddResult> {
    const { cache, billit } = this.deps;
    const d = cache.dossiers.byVeniceId(id);
    if (!d) throw new AppError('not-found', `Unknown dossier ${id}`);
    if (!d.enterpriseNumber) throw new AppError('conflict', 'The dossier has no enterprise number');
    const company = await billit.companyByEnterpriseNumber(d.enterpriseNumber);
    if (!company) throw new AppError('conflict', 'This enterprise number is not a Billit company; use "Add" instead');
    const state = stateFrom(company);
    if (state === 'linked' || state === 'login-not-activated') {
      await this.record(d, company);
      return { id, outcome: 'resynced', status: state };
    }
    if (state !== 'link-pending') await billit.requestLink(d.enterpriseNumber);
    await this.setLink(d, { state: 'link-pending', reason: 'link requested', billitPartyId: company.partyId });
    this.deps.onChanged([id]);
    return { id, outcome: 'link-requested', status: 'link-pending' };
  }

  /** The invitation that activates the entrepreneur's Billit login: to the dossier's e-mail, kept in the cache. */
  async sendLoginData(id: string): Promise<LoginDataSent> {
    const { cache, billit } = this.deps;
    const d = cache.dossiers.byVeniceId(id);
    if (!d) throw new AppError('not-found', `Unknown dossier ${id}`);
    if (!d.email) throw new AppError('login-data.no-email', 'The dossier has no e-mail address: complete it before sending the login data');
    if (d.linkState !== 'login-not-activated' || !d.billitPartyId)
      throw new AppError('conflict', 'Login data can only be sent for a company whose login is not activated yet');
    const sent = await billit.sendLoginData(d.billitPartyId, d.email);
    const result = { sentTo: sent.sentTo ?? d.email, sentAt: this.now() };
    await cache.dossiers.setLoginDataSent(d.id, { to: result.sentTo, at: result.sentAt });
    this.deps.onChanged([id]);
    return result;
  }

  /** Venice customers and suppliers → Billit parties; the outcome per relation is kept in the cache. */
  async importRelations(d: DossierRecord, companyId: BillitPartyId, signal?: AbortSignal): Promise<RelationsResult> {
    const { venice, billit, cache } = this.deps;
    const relations: VeniceRelation[] = await venice.relations(d.veniceId, signal);
    const { result, outcomes } = await importRelations(billit, companyId, relations, signal);
    const put = await cache.parties.upsertMany(
      relations.map((r) => ({
        dossierId: d.id,
        role: r.kind,
        veniceNumber: r.subNumber ? `${r.number}/${r.subNumber}` : String(r.number),
        name: r.name,
        enterpriseNumber: r.enterpriseNumber,
        vatNumber: r.vatNumber,
        email: r.email,
        iban: r.iban,
        language: r.language,
        address: r.address ? { street: [r.address.street, r.address.streetNumber].filter(Boolean).join(' '), postalCode: r.address.zipcode, city: r.address.city, country: r.address.countryCode } : null,
      })),
    );
    for (let i = 0; i < outcomes.length; i++) {
      const o = outcomes[i]!;
      await cache.parties.setBillitResult(put.ids[i]!, { status: o.status, reason: o.reason, billitPartyId: o.partyId });
    }
    await cache.cursors.set(RELATIONS_KEY(d.veniceId), JSON.stringify(result));
    return result;
  }
}
