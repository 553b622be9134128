import type { FiberConnectClient } from '../target/fiberconnect-client.ts';

/**
 * The target-side switches a migration turns off before it writes and
 * restores afterwards (CONTRACT.md 2.3): active workflows and e-mail sending.
 * Restoring touches exactly what was saved, so a workflow someone else had
 * switched off stays off.
 */

/** Ids of the workflows that are ACTIVE now: what the run must switch back on at the end. */
export async function saveActiveWorkflows(client: FiberConnectClient): Promise<string[]> {
  return (await client.listActiveWorkflows()).map((workflow) => workflow.id).sort();
}

/** Switches the given workflows off (a repeat is harmless: deactivate is idempotent on the target). */
export async function deactivateWorkflows(client: FiberConnectClient, workflowIds: readonly string[]): Promise<void> {
  for (const id of workflowIds) await client.setWorkflowActive(id, false);
}

/** Switches exactly the saved workflows back on. */
export async function restoreWorkflows(client: FiberConnectClient, workflowIds: readonly string[]): Promise<void> {
  for (const id of workflowIds) await client.setWorkflowActive(id, true);
}

/** Switches e-mail off and returns the setting it had, for {@link restoreEmail}. */
export async function switchEmailOff(client: FiberConnectClient): Promise<boolean> {
  const { emailEnabled } = await client.getNotifications();
  if (emailEnabled) await client.putNotifications({ emailEnabled: false });
  return emailEnabled;
}

/** Puts the e-mail setting back to what it was before the run. */
export async function restoreEmail(client: FiberConnectClient, emailEnabled: boolean): Promise<void> {
  await client.putNotifications({ emailEnabled });
}
