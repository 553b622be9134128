import type { TargetSwitches } from '../../src/control/types.ts';
import { TargetError } from '../../src/target/errors.ts';
import type { NotificationSettings, Workflow } from '../../src/target/types.ts';

/** A call of {@link InMemoryTarget} that can be made to fail. */
export type TargetCall = 'listActiveWorkflows' | 'setWorkflowActive' | 'getNotifications' | 'putNotifications';

/**
 * A customer's FiberConnect workflows and e-mail setting in memory. The
 * calls in `failing` answer 503 and change nothing, as a target that is down.
 */
export class InMemoryTarget implements TargetSwitches {
  public readonly workflows = new Map<string, Workflow['status']>([
    ['wfl_welcome_mail', 'ACTIVE'],
    ['wfl_planning_notice', 'ACTIVE'],
    ['wfl_survey_reminder', 'INACTIVE'],
  ]);
  public emailEnabled = true;
  public readonly failing = new Set<TargetCall>();
  /** Every call that reached the target, in order. */
  public readonly calls: string[] = [];

  /** The workflows as `id → status`, for assertions. */
  public get statuses(): Record<string, string> {
    return Object.fromEntries(this.workflows);
  }

  public async listActiveWorkflows(): Promise<Workflow[]> {
    this.reach('listActiveWorkflows', 'GET /v1/workflows?status=ACTIVE');
    return [...this.workflows].filter(([, status]) => status === 'ACTIVE').map(([id, status]) => ({ id, name: id, status }));
  }

  public async setWorkflowActive(id: string, active: boolean): Promise<void> {
    this.reach('setWorkflowActive', `POST /v1/workflows/${id}/${active ? 'activate' : 'deactivate'}`);
    this.workflows.set(id, active ? 'ACTIVE' : 'INACTIVE');
  }

  public async getNotifications(): Promise<NotificationSettings> {
    this.reach('getNotifications', 'GET /v1/settings/notifications');
    return { emailEnabled: this.emailEnabled };
  }

  public async putNotifications(settings: NotificationSettings): Promise<void> {
    this.reach('putNotifications', 'PUT /v1/settings/notifications');
    this.emailEnabled = settings.emailEnabled;
  }

  private reach(call: TargetCall, request: string): void {
    if (this.failing.has(call)) {
      const [method, path] = request.split(' ') as [string, string];
      throw new TargetError(`FiberConnect answered 503 to ${request}: service unavailable`, { method, path, status: 503, code: 'service_unavailable' });
    }
    this.calls.push(request);
  }
}
