/**
 * NOT VERIFIED AGAINST VENICE CLOUD: listing the office's dossiers.
 *
 * The public WebConnect docs have no endpoint that lists an office's dossiers (only
 * `GET /{DossierId}/Dossier`, which needs the id). Billit's own Venice Cloud connector lists them, so some
 * listing exists; the `Venice` controller (seen in WebConnect's call log with an empty DossierId) is the
 * likely place. This module models it as
 *
 *     GET /webconnect/api/Venice/Dossiers   →   {"Response":{"Dossiers":{"Dossier":[{"Fields":{…}}]}}}
 *
 * with the fields in `./fields` (`DOSSIER_FIELDS`), and the demo office's simulator serves exactly that.
 * When the real call is known, only this file (and the simulator's route) change.
 */
import type { CallOptions, VeniceClient } from './client';
import { DOSSIER_FIELDS, toDossier } from './fields';
import { dossierFields, envelopeRecords } from './schemas';
import type { VeniceDossier } from './types';

export const DOSSIER_LIST_PATH = ['Venice', 'Dossiers'] as const;

/** Every dossier of the office that the administrator login reaches, by name. */
export async function listDossiers(client: VeniceClient, options: CallOptions = {}): Promise<VeniceDossier[]> {
  const url = client.restUrl(...DOSSIER_LIST_PATH);
  url.searchParams.set('fields', DOSSIER_FIELDS.join(','));
  const operation = 'list the dossiers of the office';
  const body = await client.request('GET', url, operation, options);
  return envelopeRecords(body, 'Dossier', dossierFields, { service: 'venice', operation })
    .map(toDossier)
    .filter((d) => d.veniceId !== '')
    .sort((a, b) => a.name.localeCompare(b.name, 'nl-BE') || a.veniceId.localeCompare(b.veniceId));
}
