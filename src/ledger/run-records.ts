import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runKey } from './keys.ts';
import type { RunRecord, RunUpdate } from './types.ts';
import { updateExpression } from './update-expression.ts';

/**
 * The runs in the run table, one item per run (`run#<runId>` under the
 * customer): what it was started with, how it ended, what it saved of the
 * target's settings, and a refusal of the customer's token noted while it
 * ran. Which run is a customer's latest is {@link RunPointers}' part.
 *
 * @example
 * const records = new RunRecords(db, 'runs');
 * await records.recordRun({ customer: 'acme', runId: 'v-1', kind: 'verify', startedAt, status: 'RUNNING', options: {} });
 * await records.updateRun('acme', 'v-1', { status: 'SUCCEEDED', finishedAt });
 */
export class RunRecords {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Writes the run's item (a retried step overwrites it). */
  public async recordRun(run: RunRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...runKey(run.customer, run.runId), ...run } }));
  }

  /** The run, or undefined when the customer has no such run. */
  public async getRun(customer: string, runId: string): Promise<RunRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: runKey(customer, runId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...run } = Item;
    return run as RunRecord;
  }

  /** Sets some fields of a run (those given as undefined are left as they are). */
  public async updateRun(customer: string, runId: string, update: RunUpdate): Promise<void> {
    const set = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
    await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: runKey(customer, runId), ...updateExpression({ set }) }));
  }

  /**
   * Notes that FiberConnect refused the token during the run (the first
   * refusal is kept; a run with no item is left alone): consumers stop
   * sending, the next drain check stops the run.
   */
  public async markTargetRefused(customer: string, runId: string, line: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(customer, runId),
          UpdateExpression: 'SET targetRefused = :line',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(targetRefused)',
          ExpressionAttributeValues: { ':line': line },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** The refusal {@link RunRecords.markTargetRefused} noted for the run, if any. */
  public async targetRefusal(customer: string, runId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: runKey(customer, runId), ProjectionExpression: 'targetRefused', ConsistentRead: true }),
    );
    return Item?.targetRefused as string | undefined;
  }
}
