import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ENGINE_METRICS } from '../../src/handler/metrics.ts';
import { checkDashboard, stageDashboard, type DashboardBody } from '../../tooling/static/dashboard.ts';
import { RENDER_ACCOUNT, renderStage, tfvarsValues, type RenderedModule } from '../../tooling/static/terraform-render.ts';
import { stageValues } from '../../tooling/static/terraform.ts';
import { loadTerraform, REPO_ROOT, STAGE_ROOT, type TerraformModel } from '../../tooling/static/terraform-model.ts';
import type { HclValue } from '../../tooling/static/hcl-expression.ts';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000';

describe("a stage ops can watch: a dashboard of the engine's metrics and the AWS ones, alarms that tell people", () => {
  let model: TerraformModel;
  const render = (stage: string, extra: Record<string, HclValue> = {}): RenderedModule =>
    renderStage(model, STAGE_ROOT, { ...tfvarsValues(model.settings[`${STAGE_ROOT}/${stage}.tfvars`]!), ...extra });
  const attribute = (stage: RenderedModule, type: string, name: string): HclValue[] => stage.instances([type]).map((instance) => instance.attributes.get(name));

  before(async () => {
    model = await loadTerraform();
  });

  it("each stage's dashboard draws every metric of src/handler/metrics.ts by its dimensions in the functions' namespace, each queue's depth and age, each dead-letter queue, each function's errors and throttles, each state machine's failed executions and every alarm", () => {
    const stages = stageValues(model, STAGE_ROOT).map((stage) => stage.stage);
    expect(stages).to.have.members(['dev', 'prod']);
    for (const name of stages) {
      const { body, expected } = stageDashboard(render(name));
      expect(expected.namespace, name).to.equal(`fiberplan-migration-${name}`);
      expect(expected.queues, name).to.have.length(7);
      expect(expected.functions, name).to.have.length(17);
      expect(checkDashboard(body, expected), name).to.deep.equal([]);
    }
  });

  it('the check can fail: an engine metric left out, one drawn by too few dimensions, a name the engine does not write, a queue, a function or an alarm missing', () => {
    const { body, expected } = stageDashboard(render('dev'));
    const text = JSON.stringify(body)
      .replace('MetricName=\\"RecordsSkipped\\"', 'MetricName=\\"RecordSkipped\\"')
      .replace('collection,customer,service} MetricName=\\"RecordsFailed\\"', 'customer,service} MetricName=\\"RecordsFailed\\"')
      .replaceAll(`"QueueName","${expected.queues[0]}"`, '"QueueName","elsewhere"')
      .replaceAll(`"FunctionName","${expected.functions[0]}"`, '"FunctionName","elsewhere"')
      .replace(`"${expected.alarms[0]}"`, '"arn:aws:cloudwatch:us-east-1:123456789012:alarm:elsewhere"');
    expect(checkDashboard(JSON.parse(text) as DashboardBody, expected)).to.have.members([
      `the dashboard does not draw RecordsFailed of ${expected.namespace} by service, customer, collection (SEARCH('{"${expected.namespace}",collection,customer,service} MetricName="RecordsFailed"', ...))`,
      `the dashboard does not draw RecordsSkipped of ${expected.namespace} by service, customer, collection (SEARCH('{"${expected.namespace}",collection,customer,service} MetricName="RecordsSkipped"', ...))`,
      `the dashboard draws RecordSkipped of ${expected.namespace}, which the engine does not write (src/handler/metrics.ts)`,
      `the dashboard draws RecordsFailed of ${expected.namespace} by customer, service, which is not how the engine writes it (service, customer, collection)`,
      `the dashboard does not draw AWS/SQS ApproximateNumberOfMessagesVisible of QueueName ${expected.queues[0]}`,
      `the dashboard does not draw AWS/SQS ApproximateAgeOfOldestMessage of QueueName ${expected.queues[0]}`,
      `the dashboard does not draw AWS/Lambda Errors of FunctionName ${expected.functions[0]}`,
      `the dashboard does not draw AWS/Lambda Throttles of FunctionName ${expected.functions[0]}`,
      `the dashboard's alarm widget does not show ${expected.alarms[0]}`,
    ]);
    expect(Object.keys(ENGINE_METRICS)).to.include.members(['RecordsFailed', 'RecordsSkipped']);
  });

  it("every alarm notifies the stage's own SNS topic, which mails each address of the stage's tfvars, and the extra topic a stage may name", () => {
    const stage = render('dev', {
      alarm_email_addresses: ['ops@example.com', 'oncall@example.com'],
      alarm_sns_topic_arn: 'arn:aws:sns:eu-west-1:123456789012:chat',
    });
    const [topic, ...others] = attribute(stage, 'aws_sns_topic', 'arn');
    expect(others).to.deep.equal([]);
    expect(topic).to.equal(`arn:aws:sns:eu-west-1:${RENDER_ACCOUNT}:fiberplan-migration-dev-alarms`);
    const subscriptions = stage
      .instances(['aws_sns_topic_subscription'])
      .map((s) => ({ topic: s.attributes.get('topic_arn'), protocol: s.attributes.get('protocol'), endpoint: s.attributes.get('endpoint') }));
    expect(subscriptions).to.have.deep.members([
      { topic, protocol: 'email', endpoint: 'ops@example.com' },
      { topic, protocol: 'email', endpoint: 'oncall@example.com' },
    ]);
    const alarms = stage.instances(['aws_cloudwatch_metric_alarm']);
    expect(alarms.length).to.be.at.least(9);
    for (const alarm of alarms) {
      for (const actions of ['alarm_actions', 'ok_actions'])
        expect(alarm.attributes.get(actions), `${alarm.address} ${actions}`).to.deep.equal([topic, 'arn:aws:sns:eu-west-1:123456789012:chat']);
    }
    const prod = render('prod');
    const addresses = tfvarsValues(model.settings[`${STAGE_ROOT}/prod.tfvars`]!).alarm_email_addresses as string[];
    expect(addresses, 'prod.tfvars names who gets the alarms').to.not.deep.equal([]);
    expect(attribute(prod, 'aws_sns_topic_subscription', 'endpoint')).to.have.members(addresses);
  });

  it("encrypts the topic with the stage's KMS key when one is given, and lets only the stage's own alarms publish to it", () => {
    expect(attribute(render('dev', { kms_key_arn: KEY }), 'aws_sns_topic', 'kms_master_key_id')).to.deep.equal([KEY]);
    expect(attribute(render('dev', { kms_key_arn: null }), 'aws_sns_topic', 'kms_master_key_id')).to.deep.equal([null]);
    const stage = render('dev');
    const [policy] = attribute(stage, 'aws_sns_topic_policy', 'policy');
    const [topic] = attribute(stage, 'aws_sns_topic', 'arn');
    expect(JSON.parse(String(policy)).Statement).to.deep.equal([
      {
        Sid: 'StageAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: ['cloudwatch.amazonaws.com'] },
        Action: ['sns:Publish'],
        Resource: [topic],
        Condition: { ArnLike: { 'aws:SourceArn': [`arn:aws:cloudwatch:eu-west-1:${RENDER_ACCOUNT}:alarm:fiberplan-migration-dev-*`] } },
      },
    ]);
  });

  it('docs/deploy.md, "Watch a first run", says what each metric the engine writes means, and where the local runtime writes them', () => {
    const deploy = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
    const section = deploy.slice(deploy.indexOf('## 8. Watch a first run'), deploy.indexOf('\n## 9.'));
    expect(section, 'the section').to.have.length.above(100);
    for (const name of Object.keys(ENGINE_METRICS)) expect(section, name).to.match(new RegExp(`\\|\\s*\`${name}\`\\s*\\|`));
    expect(section).to.include('alarm_email_addresses').and.to.include('metrics.jsonl').and.to.include('dashboard_url');
  });
});
