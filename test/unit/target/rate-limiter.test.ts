import { expect } from 'chai';
import sinon from 'sinon';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IDLE_SPARE_MS, SharedRateLimiter } from '../../../src/target/rate-limiter.ts';

/** 5 requests/s with no share held back: slots 200 ms apart. */
const SLOT_MS = 200;

/**
 * The shared counter in memory, applying the limiter's ADD and the
 * conditional SET of an idle claim as DynamoDB does; `afterClaim` is told
 * the first slot of each idle claim that took (a test moves the clock there).
 */
function aCounter(afterClaim: (from: number) => void) {
  const state = { nextSlot: undefined as number | undefined, writes: 0 };
  const db = {
    send: async (command: { input: { UpdateExpression: string; ExpressionAttributeValues: Record<string, number> } }) => {
      state.writes += 1;
      const values = command.input.ExpressionAttributeValues;
      if (command.input.UpdateExpression.startsWith('ADD')) {
        state.nextSlot = (state.nextSlot ?? 0) + values[':count']!;
        return { Attributes: { nextSlot: state.nextSlot } };
      }
      if (state.nextSlot !== undefined && state.nextSlot >= values[':from']!) throw new ConditionalCheckFailedException({ message: 'moved', $metadata: {} });
      state.nextSlot = values[':end'];
      afterClaim(values[':from']!);
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, state };
}

describe('SharedRateLimiter: an idle claim on a busy host (a counter in memory, the clock moved by the test)', () => {
  let now = 1_000_000;
  beforeEach(() => {
    now = 1_000_000;
    sinon.stub(Date, 'now').callsFake(() => now);
  });
  afterEach(() => sinon.restore());

  it('sends a wake-up late within IDLE_SPARE_MS, its times shifted by the lateness: one ADD, one conditional SET, no second claim', async () => {
    // The host wakes the wait 60 ms after the claimed slot.
    const { db, state } = aCounter((from) => {
      now = from * SLOT_MS + 60;
    });
    const times = await new SharedRateLimiter(db, 'rate-limits', 'busy', 5, 1).acquire(2);
    expect(state.writes).to.equal(2);
    expect(times.map((time) => time % SLOT_MS)).to.deep.equal([60, 60]);
    expect(times[1]! - times[0]!, 'still a slot apart').to.equal(SLOT_MS);
    expect(state.nextSlot! * SLOT_MS - times[1]!, 'the empty slots after the last send time').to.be.at.least(IDLE_SPARE_MS - 60);
  });

  it('claims again when the wake-up came later than the empty slots cover', async () => {
    let claims = 0;
    const { db, state } = aCounter((from) => {
      claims += 1;
      if (claims === 1) now = from * SLOT_MS + IDLE_SPARE_MS + 100;
    });
    const [first] = await new SharedRateLimiter(db, 'rate-limits', 'very-busy', 5, 1).acquire(1);
    expect(state.writes, 'a second ADD after the late wake-up').to.equal(3);
    expect(first! - now, 'a slot after the first claim and its empty slots').to.be.above(0);
  });
});
