import { MAX_INLINE_PAYLOAD_BYTES } from './constants.ts';
import type { LedgerKey, PayloadStore, UpdateClauses } from './types.ts';

/**
 * Where a failed record's payload goes: into its ledger entry (`payload`, the
 * JSON text) up to MAX_INLINE_PAYLOAD_BYTES, to the bucket beyond that
 * (`payloadKey`, under `payloads/<customer>/<runId>/<collection>/`, which
 * expires after the retention days), since a DynamoDB item ends at 400 KB.
 * Without a bucket the inline text is cut at the limit.
 *
 * @example
 * const offload = new PayloadOffload(objectStore);
 * const { set, remove } = await offload.clauses(key, runId, body); // set: { payload } or { payloadKey }; remove: the other
 */
export class PayloadOffload {
  public constructor(private readonly store?: PayloadStore) {}

  /** The entry's attribute that holds the payload now, and the other one to remove (a payload of an earlier failure may be there). */
  public async clauses(key: LedgerKey, runId: string, payload: unknown): Promise<Required<Pick<UpdateClauses, 'set' | 'remove'>>> {
    const json = JSON.stringify(payload);
    if (Buffer.byteLength(json) <= MAX_INLINE_PAYLOAD_BYTES || !this.store) {
      return { set: { payload: json.slice(0, MAX_INLINE_PAYLOAD_BYTES) }, remove: ['payloadKey'] };
    }
    const objectKey = `payloads/${key.customer}/${runId}/${key.collection}/${encodeURIComponent(key.externalRef)}.json`;
    return { set: { payloadKey: await this.store.put(objectKey, json) }, remove: ['payload'] };
  }
}
