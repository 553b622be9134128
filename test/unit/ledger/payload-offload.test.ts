import { expect } from 'chai';
import { MAX_INLINE_PAYLOAD_BYTES } from '../../../src/ledger/constants.ts';
import { PayloadOffload } from '../../../src/ledger/payload-offload.ts';
import type { PayloadStore } from '../../../src/ledger/types.ts';

class MemoryPayloads implements PayloadStore {
  public readonly objects = new Map<string, string>();
  public async put(key: string, body: string): Promise<string> {
    this.objects.set(key, body);
    return key;
  }
}

describe("a failed record's payload: in its entry, or in the bucket when too big (src/ledger/payload-offload.ts)", () => {
  const key = { customer: 'acme', collection: 'connections' as const, externalRef: 'fp_a:aansluiting:7/8' };

  it('keeps a payload up to 64 KiB in the entry, as JSON, and removes a bucket key an earlier failure left', async () => {
    const store = new MemoryPayloads();
    expect(await new PayloadOffload(store).clauses(key, 'run-1', { name: 'Jan' })).to.deep.equal({
      set: { payload: '{"name":"Jan"}' },
      remove: ['payloadKey'],
    });
    expect(store.objects.size).to.equal(0);
  });

  it('puts a bigger one in the bucket under payloads/<customer>/<runId>/<collection>/<externalRef>.json and keeps its key, removing an inline one', async () => {
    const store = new MemoryPayloads();
    const big = { text: 'x'.repeat(MAX_INLINE_PAYLOAD_BYTES) };
    const objectKey = 'payloads/acme/run-1/connections/fp_a%3Aaansluiting%3A7%2F8.json';
    expect(await new PayloadOffload(store).clauses(key, 'run-1', big)).to.deep.equal({ set: { payloadKey: objectKey }, remove: ['payload'] });
    expect(store.objects.get(objectKey)).to.equal(JSON.stringify(big));
  });

  it('cuts a bigger one to 64 KiB in the entry when there is no bucket', async () => {
    const { set } = await new PayloadOffload().clauses(key, 'run-1', { text: 'x'.repeat(MAX_INLINE_PAYLOAD_BYTES) });
    expect(String(set.payload)).to.have.length(MAX_INLINE_PAYLOAD_BYTES);
  });
});
