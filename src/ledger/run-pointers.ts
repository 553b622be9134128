import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pointerKey } from './keys.ts';
import type { RunPointer, RunRecord } from './types.ts';

/**
 * A customer's pointers to its latest real run, latest dry run and latest
 * rollback in the run table (`latest`, `latest-dry`, `latest-rollback` under
 * the customer), and the stop mark on them: which run's messages the
 * consumers still deliver, and which run a new one follows.
 *
 * @example
 * const pointers = new RunPointers(db, 'runs');
 * await pointers.point({ customer: 'acme', runId: 'run-2', startedAt, status: 'RUNNING', options: {} });
 * await pointers.liveRunId('acme', 'run'); // 'run-2', until `make stop` marks it stopped
 */
export class RunPointers {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Makes the run the customer's latest of its kind: a dry run its latest
   * dry run (a later real run never takes it for its predecessor, and a real
   * run's messages are never dropped as stale because of it), a rollback its
   * latest rollback (a removal message of another rollback is stale), any
   * other its latest run.
   */
  public async point(run: RunRecord): Promise<void> {
    const pointer: RunPointer = run.kind === 'rollback' ? 'rollback' : run.dryRun ? 'dry-run' : 'run';
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...pointerKey(run.customer, pointer), runId: run.runId, startedAt: run.startedAt } }),
    );
  }

  /** Id of the customer's latest run, if any; with `dryRun`, of its latest dry run. */
  public async latestRunId(customer: string, dryRun = false): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: pointerKey(customer, dryRun ? 'dry-run' : 'run'), ConsistentRead: true }),
    );
    return Item?.runId as string | undefined;
  }

  /** Id of the customer's latest rollback, if any: a removal message of another rollback is stale. */
  public async latestRollbackId(customer: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: pointerKey(customer, 'rollback'), ConsistentRead: true }));
    return Item?.runId as string | undefined;
  }

  /**
   * The run whose messages the consumers deliver: the latest run of
   * `pointer`, unless it was stopped (`make stop`): then none, and its
   * messages still queued are dropped as stale, so nothing reaches the
   * target after its settings were restored.
   */
  public async liveRunId(customer: string, pointer: RunPointer): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: pointerKey(customer, pointer), ConsistentRead: true }));
    return Item && Item.stoppedRunId !== Item.runId ? (Item.runId as string) : undefined;
  }

  /** Marks the latest run of `pointer` stopped when it is `runId` (see {@link RunPointers.liveRunId}); false when another run is the latest. */
  public async markStopped(customer: string, pointer: RunPointer, runId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pointerKey(customer, pointer),
          UpdateExpression: 'SET stoppedRunId = :runId',
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Lifts a stop mark of the latest run `runId`: a redrive delivers that run's dead letters again. */
  public async reviveRun(customer: string, runId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pointerKey(customer, 'run'),
          UpdateExpression: 'REMOVE stoppedRunId',
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
