import type { TargetSwitches } from './types.ts';

/**
 * The target-side switches a migration turns off before it writes and
 * restores afterwards: active workflows and e-mail sending. Restoring
 * touches exactly what was saved, so a workflow someone else had switched
 * off stays off.
 */

/** Ids of the workflows that are ACTIVE now: what the run must switch back on at the end. */
export async function saveActiveWorkflows(client: Pick<TargetSwitches, 'listActiveWorkflows'>): Promise<string[]> {
  return (await client.listActiveWorkflows()).map((workflow) => workflow.id).sort();
}

/** Switches the given workflows off (a repeat is harmless: deactivate is idempotent on the target). */
export async function deactivateWorkflows(client: Pick<TargetSwitches, 'setWorkflowActive'>, workflowIds: readonly string[]): Promise<void> {
  for (const id of workflowIds) await client.setWorkflowActive(id, false);
}

/** Switches exactly the saved workflows back on. */
export async function restoreWorkflows(client: Pick<TargetSwitches, 'setWorkflowActive'>, workflowIds: readonly string[]): Promise<void> {
  for (const id of workflowIds) await client.setWorkflowActive(id, true);
}

/** Sets e-mail sending on or off: off for a run, back to the saved value after it. */
export async function setEmail(client: Pick<TargetSwitches, 'putNotifications'>, emailEnabled: boolean): Promise<void> {
  await client.putNotifications({ emailEnabled });
}
