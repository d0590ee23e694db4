/**
 * What the sync's worker threads do with their Billit client (`worker.ts`): read an order as a cache
 * document, read a CODA feed item, confirm a feed item.
 */
import { BillitError, type BillitClient, type BillitFileRef, type BillitOrder } from '../billit';
import type { DocumentInput } from '../cache/types';
import { documentFromOrder, statementsFromCoda } from './convert';
import type { FeedItemView, OrderDetail, OrderDownloads, OrderFileRef, ReadCoda, ReadJob } from './ports';

/** The office's accountant feed this app reads. */
export const FEED_NAME = 'billit-venice-link';

function fileRef(f: BillitFileRef | null | undefined): OrderFileRef | null {
  return f?.FileID ? { fileId: f.FileID, fileName: f.FileName ?? null, mimeType: f.MimeType ?? null } : null;
}

/** What the cache keeps of an order: every field read here is checked by the reply's schema. */
function toDetail(o: BillitOrder): OrderDetail {
  return {
    orderId: o.OrderID,
    companyId: o.CompanyID ?? 0,
    direction: o.OrderDirection === 'Cost' ? 'Cost' : 'Income',
    orderType: o.OrderType ?? 'Invoice',
    orderNumber: o.OrderNumber ?? String(o.OrderID),
    orderDate: o.OrderDate ?? null,
    expiryDate: o.ExpiryDate ?? null,
    currency: o.Currency ?? null,
    totalExcl: o.TotalExcl ?? null,
    totalVat: o.TotalVAT ?? null,
    totalIncl: o.TotalIncl ?? null,
    paymentReference: o.PaymentReference ?? null,
    lastModified: o.LastModified ?? '',
    paid: o.Paid === true,
    pdf: fileRef(o.OrderPDF),
    attachments: (o.Attachments ?? []).map(fileRef).filter((f): f is OrderFileRef => f !== null),
  };
}

/** An order's detail and files. */
export function orderDownloads(client: BillitClient): OrderDownloads {
  return {
    async order(companyId, orderId, signal) {
      return toDetail(await client.getOrder(companyId, orderId, signal));
    },
    async file(companyId, fileId, signal) {
      const f = await client.getFile(companyId, fileId, signal);
      return { fileName: f.fileName, mimeType: f.mimeType ?? 'application/octet-stream', bytes: f.bytes };
    },
  };
}

const isUbl = (f: { fileName: string | null; mimeType: string | null }) => /xml/i.test(f.mimeType ?? '') || /\.xml$/i.test(f.fileName ?? '');

/**
 * One order as a cache document: its detail (Billit's order list does not name the files), the UBL
 * attachment, parsed and checked; the PDF embedded in the UBL, or else Billit's own PDF downloaded.
 */
export async function readDocument(downloads: OrderDownloads, job: ReadJob, signal?: AbortSignal): Promise<DocumentInput> {
  const order = await downloads.order(job.companyId, job.orderId, signal);
  const ublRef = order.attachments.find(isUbl);
  const ubl = ublRef ? (await downloads.file(job.companyId, ublRef.fileId, signal)).bytes : null;
  const converted = documentFromOrder(job.dossier, order, ubl, job.feedItemId);
  let pdf = converted.embeddedPdf;
  if (!pdf && order.pdf) pdf = (await downloads.file(job.companyId, order.pdf.fileId, signal)).bytes;
  return { ...converted.input, ...(pdf ? { pdf } : {}), status: 'new' };
}

/** A CODA feed item: the client checks the SHA-256 Billit publishes (downloading again on a mismatch, then refusing). */
export async function readCoda(client: BillitClient, item: FeedItemView, signal?: AbortSignal): Promise<ReadCoda> {
  const file = await client.downloadFeedItem(FEED_NAME, item.feedItemId, signal);
  const converted = statementsFromCoda(file.bytes, { sourceId: file.sha256, sourceIds: { feedItem: String(item.feedItemId), companyId: String(item.partyId) } });
  return { sha256: file.sha256, converted };
}

export async function confirmDelivered(client: BillitClient, item: FeedItemView, delivered: string, signal?: AbortSignal): Promise<void> {
  try {
    await client.confirmFeedItem(FEED_NAME, item.feedItemId, { remoteServerName: delivered }, signal);
  } catch (error) {
    // Confirmed by an attempt whose answer was lost: the item is no longer open.
    if (error instanceof BillitError && error.hasCode('FeedItemNotFound')) return;
    throw error;
  }
}
