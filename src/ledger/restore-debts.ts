import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { restoreDebtKey } from './keys.ts';
import type { RestoreDebt } from './types.ts';

/**
 * What runs switched off on a customer's target and no restore has put back
 * yet, one item per customer in the run table (`restore`): carried from run
 * to run until a restore succeeded, so a chain of killed and failed runs
 * still ends with the original settings. Every change is one UpdateItem
 * (a string-set ADD or DELETE, an if_not_exists SET), never a read and a write.
 *
 * @example
 * const debts = new RestoreDebts(db, 'runs');
 * await debts.addWorkflowsToRestore('acme', ['wf-1']); // before switching wf-1 off
 * await debts.markWorkflowsRestored('acme', ['wf-1']); // after switching it back on
 */
export class RestoreDebts {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** What is still to be switched back on for the customer (nothing when every run restored). */
  public async restoreDebt(customer: string): Promise<RestoreDebt> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: restoreDebtKey(customer), ConsistentRead: true }));
    const workflowIds = [...((Item?.workflowIds as Set<string> | undefined) ?? [])].sort();
    return typeof Item?.emailEnabled === 'boolean' ? { workflowIds, emailEnabled: Item.emailEnabled } : { workflowIds };
  }

  /** Adds workflows a run is about to switch off to what must be restored (a string-set ADD: merges, never replaces). */
  public async addWorkflowsToRestore(customer: string, workflowIds: readonly string[]): Promise<void> {
    if (workflowIds.length === 0) return;
    await this.update(customer, 'ADD workflowIds :ids', { ':ids': new Set(workflowIds) });
  }

  /**
   * Records the e-mail setting to restore unless one is recorded already (the
   * earlier value is the original: a later run found e-mail off because of it).
   * @returns the setting to restore.
   */
  public async keepEmailToRestore(customer: string, emailEnabled: boolean): Promise<boolean> {
    const attributes = await this.update(customer, 'SET emailEnabled = if_not_exists(emailEnabled, :email)', { ':email': emailEnabled });
    return attributes?.emailEnabled as boolean;
  }

  /** Takes workflows off what must be restored: call only after they were switched back on. */
  public async markWorkflowsRestored(customer: string, workflowIds: readonly string[]): Promise<void> {
    if (workflowIds.length === 0) return;
    await this.update(customer, 'DELETE workflowIds :ids', { ':ids': new Set(workflowIds) });
  }

  /** Takes the e-mail setting off what must be restored: call only after it was put back. */
  public async markEmailRestored(customer: string): Promise<void> {
    await this.update(customer, 'REMOVE emailEnabled');
  }

  private async update(customer: string, expression: string, values?: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: restoreDebtKey(customer),
        UpdateExpression: expression,
        ...(values ? { ExpressionAttributeValues: values } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes;
  }
}
