import { ENGINE_METRICS, type EngineMetricName } from '../../src/handler/index.ts';
import type { HclValue } from './hcl-expression.ts';
import { renderedFunctions } from './iam-grants.ts';
import type { RenderedModule } from './terraform-render.ts';
import type { Problems } from './terraform-model.ts';

/*
 * The stage's dashboard (terraform/modules/dashboard) against what the stage
 * has and what the engine writes: every metric of src/handler/metrics.ts
 * drawn by a SEARCH over exactly its dimensions (a metric is only found by
 * its whole dimension set) in the namespace the functions write to, and the
 * AWS metrics of each queue, dead-letter queue, function and state machine.
 */

/** A dashboard body as CloudWatch reads it (the widgets this check looks at). */
export interface DashboardBody {
  widgets: { type: string; properties: { metrics?: unknown[][]; alarms?: string[] } }[];
}

/** What a stage's dashboard must show. */
export interface DashboardExpectations {
  /** POWERTOOLS_METRICS_NAMESPACE of the functions. */
  namespace: string;
  queues: string[];
  deadLetterQueues: string[];
  functions: string[];
  stateMachineArns: string[];
  alarms: string[];
}

const text = (value: HclValue): string => (value === null ? '' : String(value));

/** The rendered stage's dashboard body and what it must show. */
export function stageDashboard(stage: RenderedModule): { body: DashboardBody; expected: DashboardExpectations } {
  const [dashboard, ...more] = stage.instances(['aws_cloudwatch_dashboard']);
  if (!dashboard || more.length > 0) throw new Error(`a stage has one aws_cloudwatch_dashboard, found ${more.length + (dashboard ? 1 : 0)}`);
  const namespaces = [...new Set(renderedFunctions(stage).map((lambda) => lambda.environment.POWERTOOLS_METRICS_NAMESPACE ?? ''))];
  if (namespaces.length !== 1) throw new Error(`every function writes to one metrics namespace, found ${JSON.stringify(namespaces)}`);
  const queues = stage.instances(['aws_sqs_queue']).map((queue) => text(queue.attributes.get('name')));
  return {
    body: JSON.parse(text(dashboard.attributes.get('dashboard_body'))) as DashboardBody,
    expected: {
      namespace: namespaces[0]!,
      queues: queues.filter((name) => !name.endsWith('-dlq.fifo')),
      deadLetterQueues: queues.filter((name) => name.endsWith('-dlq.fifo')),
      functions: stage.instances(['aws_lambda_function']).map((lambda) => text(lambda.attributes.get('function_name'))),
      stateMachineArns: stage.instances(['aws_sfn_state_machine']).map((machine) => text(machine.attributes.get('arn'))),
      alarms: stage.instances(['aws_cloudwatch_metric_alarm']).map((alarm) => text(alarm.attributes.get('arn'))),
    },
  };
}

/** A SEARCH of the body: its namespace, dimension names and metric name. */
interface Search {
  namespace: string;
  dimensions: string[];
  metric: string;
}

const SEARCH = /SEARCH\('\{"?([^",}]+)"?((?:,[^,}]+)*)\}\s+MetricName="([^"]+)"/g;

/** Every SEARCH expression and every plain metric (`[namespace, name, dimension, value, ...]`) of the body's graphs. */
function drawn(body: DashboardBody): { searches: Search[]; plain: string[][] } {
  const searches: Search[] = [];
  const plain: string[][] = [];
  for (const widget of body.widgets) {
    for (const metric of widget.properties.metrics ?? []) {
      const expression = (metric.find((item) => typeof item === 'object' && item !== null) as { expression?: string } | undefined)?.expression;
      for (const [, namespace, dimensions, name] of expression?.matchAll(SEARCH) ?? []) {
        searches.push({
          namespace: namespace!,
          dimensions: dimensions!
            .split(',')
            .filter(Boolean)
            .map((d) => d.trim()),
          metric: name!,
        });
      }
      if (typeof metric[0] === 'string') plain.push(metric.filter((item): item is string => typeof item === 'string'));
    }
  }
  return { searches, plain };
}

const sorted = (names: readonly string[]): string => [...names].sort().join(',');

/** The engine's metrics against the SEARCH expressions in its namespace. */
function checkEngineMetrics(searches: Search[], namespace: string, metrics: typeof ENGINE_METRICS): Problems {
  const problems: Problems = [];
  const own = searches.filter((search) => search.namespace === namespace);
  for (const [name, definition] of Object.entries(metrics)) {
    const dimensions = ['service', ...definition.dimensions];
    if (!own.some((search) => search.metric === name && sorted(search.dimensions) === sorted(dimensions))) {
      problems.push(
        `the dashboard does not draw ${name} of ${namespace} by ${dimensions.join(', ')} (SEARCH('{"${namespace}",${[...dimensions].sort().join(',')}} MetricName="${name}"', ...))`,
      );
    }
  }
  for (const search of own) {
    const definition = metrics[search.metric as EngineMetricName] as (typeof metrics)[EngineMetricName] | undefined;
    if (!definition) problems.push(`the dashboard draws ${search.metric} of ${namespace}, which the engine does not write (src/handler/metrics.ts)`);
    else if (sorted(search.dimensions) !== sorted(['service', ...definition.dimensions])) {
      problems.push(
        `the dashboard draws ${search.metric} of ${namespace} by ${search.dimensions.join(', ')}, which is not how the engine writes it (${['service', ...definition.dimensions].join(', ')})`,
      );
    }
  }
  return problems;
}

/** Problems of a dashboard body against what it must show: none when it shows everything. */
export function checkDashboard(body: DashboardBody, expected: DashboardExpectations, metrics: typeof ENGINE_METRICS = ENGINE_METRICS): Problems {
  const { searches, plain } = drawn(body);
  const problems = checkEngineMetrics(searches, expected.namespace, metrics);
  const wanted: [string, string, string, string[]][] = [
    ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', [...expected.queues, ...expected.deadLetterQueues]],
    ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', expected.queues],
    ['AWS/Lambda', 'Errors', 'FunctionName', expected.functions],
    ['AWS/Lambda', 'Throttles', 'FunctionName', expected.functions],
    ['AWS/States', 'ExecutionsFailed', 'StateMachineArn', expected.stateMachineArns],
  ];
  for (const [namespace, name, dimension, values] of wanted) {
    for (const value of values) {
      if (!plain.some(([ns, metric, key, of]) => ns === namespace && metric === name && key === dimension && of === value)) {
        problems.push(`the dashboard does not draw ${namespace} ${name} of ${dimension} ${value}`);
      }
    }
  }
  const shown = new Set(body.widgets.flatMap((widget) => (widget.type === 'alarm' ? (widget.properties.alarms ?? []) : [])));
  for (const alarm of expected.alarms) if (!shown.has(alarm)) problems.push(`the dashboard's alarm widget does not show ${alarm}`);
  return problems;
}
