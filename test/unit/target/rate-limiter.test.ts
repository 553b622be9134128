import { expect } from 'chai';
import sinon from 'sinon';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAX_IDLE_SPARE_MS, SharedRateLimiter } from '../../../src/target/rate-limiter.ts';

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

  it('leaves no slot empty after an idle claim on a host whose waits woke up on time: the next caller follows at once', async () => {
    const { db, state } = aCounter((from) => {
      now = from * SLOT_MS;
    });
    const limiter = new SharedRateLimiter(db, 'rate-limits', 'quiet', 5, 1);
    const [first] = await limiter.acquire(1);
    const [next] = await limiter.acquire(1);
    expect(state.writes, 'one ADD and one conditional SET, then one ADD').to.equal(3);
    expect(next! - first!, 'the next slot').to.equal(SLOT_MS);
  });

  it('sends a wake-up late within the empty slots its recent lateness left, its times shifted by the lateness: one ADD, one conditional SET, no second claim', async () => {
    // The host wakes the wait 60 ms after the claimed slot; its waits woke up 100 ms late just before (85 ms beyond the 15 ms tolerance).
    const { db, state } = aCounter((from) => {
      now = from * SLOT_MS + 60;
    });
    const limiter = new SharedRateLimiter(db, 'rate-limits', 'busy', 5, 1);
    expect(await limiter.waitFor(now - 100), 'a slot 100 ms gone').to.equal(false);
    const times = await limiter.acquire(2);
    expect(state.writes).to.equal(2);
    expect(times.map((time) => time % SLOT_MS)).to.deep.equal([60, 60]);
    expect(times[1]! - times[0]!, 'still a slot apart').to.equal(SLOT_MS);
    expect(state.nextSlot! * SLOT_MS - times[1]!, 'the empty slots after the last send time').to.be.at.least(85 - 60);
  });

  it('claims again when the wake-up came later than the empty slots cover, never leaving more than MAX_IDLE_SPARE_MS empty', async () => {
    let claims = 0;
    const { db, state } = aCounter((from) => {
      claims += 1;
      if (claims === 1) now = from * SLOT_MS + MAX_IDLE_SPARE_MS + 100;
    });
    const limiter = new SharedRateLimiter(db, 'rate-limits', 'very-busy', 5, 1);
    await limiter.waitFor(now - 1_000);
    const [first] = await limiter.acquire(1);
    expect(state.writes, 'a second ADD after the late wake-up').to.equal(3);
    expect(first! - now, 'a slot after the first claim and its empty slots').to.be.above(0);
  });

  it('sends, on a host whose waits wake up ever later (40, 60, 80 ms... at 60/s: slots 17 ms apart), once its claims leave room for that lateness (from the second late wake-up on, doubling while wake-ups stay later): it never claims on and on', async () => {
    // The clock jumps a moment after each claim that the caller then waits on (an ADD of slots ahead, an idle SET): each wake-up 20 ms later than the one before.
    const slotMs = 1000 / 60;
    let jumps = 0;
    const { db, state } = aCounter(() => undefined);
    state.nextSlot = Math.ceil((now + 300) / slotMs);
    const send = db.send.bind(db);
    db.send = (async (command: Parameters<typeof send>[0]) => {
      const { input } = command as unknown as { input: { UpdateExpression: string; ExpressionAttributeValues: Record<string, number> } };
      const answer = (await send(command)) as { Attributes?: { nextSlot: number } };
      const first = (answer.Attributes?.nextSlot ?? 0) - (input.ExpressionAttributeValues[':count'] ?? 0);
      const waits = input.UpdateExpression.startsWith('SET') || first * slotMs >= Date.now() - 15;
      if (waits) {
        setTimeout(() => {
          now += 40 + 20 * jumps;
          jumps += 1;
        }, 1);
      }
      return answer;
    }) as typeof db.send;
    const realStart = performance.now();
    sinon.restore();
    sinon.stub(Date, 'now').callsFake(() => now + (performance.now() - realStart));

    const [sentAt] = await new SharedRateLimiter(db, 'rate-limits', 'late', 60, 1).acquire(1);

    expect(jumps, 'claims waited on: 40 and 60 ms late (room 60), 80 (room 120), 100 sent').to.be.at.most(4);
    expect(Date.now() - sentAt!, 'sent at its shifted time').to.be.within(-1, 20);
  });
});
