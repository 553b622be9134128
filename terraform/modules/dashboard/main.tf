# One CloudWatch dashboard of a stage: its alarms, the engine's own metrics
# (src/handler/metrics.ts: records, requests, the pace in force, queue depth)
# and the AWS metrics of its queues, dead-letter queues, functions and state
# machines. The engine's metrics are found by SEARCH, so every customer and
# collection shows without being named here; a SEARCH finds a metric only by
# its whole dimension set, which make test-static holds against the engine.

data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name

  # The dimension sets the engine writes (besides the metric name), as SEARCH schemas.
  by_collection = "{\"${var.metrics_namespace}\",collection,customer,service}"
  by_customer   = "{\"${var.metrics_namespace}\",customer,service}"
  by_queue      = "{\"${var.metrics_namespace}\",collection,service}"

  engine_metrics = {
    RecordsMigrated = { schema = local.by_collection, stat = "Sum" }
    RecordsUpdated  = { schema = local.by_collection, stat = "Sum" }
    RecordsFailed   = { schema = local.by_collection, stat = "Sum" }
    RecordsSkipped  = { schema = local.by_collection, stat = "Sum" }
    TargetRequests  = { schema = local.by_customer, stat = "Sum" }
    TargetThrottled = { schema = local.by_customer, stat = "Sum" }
    TargetRateLimit = { schema = local.by_customer, stat = "Maximum" }
    SourceRateLimit = { schema = local.by_customer, stat = "Maximum" }
    QueueMessages   = { schema = local.by_queue, stat = "Maximum" }
  }
  search = { for name, metric in local.engine_metrics : name => "SEARCH('${metric.schema} MetricName=\"${name}\"', '${metric.stat}', ${var.period_seconds})" }

  # What every graph shares.
  graph = { view = "timeSeries", region = local.region, period = var.period_seconds, stacked = false }

  intro = join("\n", [
    "## ${var.dashboard_name}",
    "Records per collection and customer as the run reports count them; requests to FiberConnect and its 429s; the rates in force; the queues. What each graph means: docs/deploy.md, \"Watch a first run\".",
  ])

  engine_widgets = [
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Records migrated (per collection and customer)", metrics = [[{ id = "migrated", expression = local.search.RecordsMigrated }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Records failed and skipped", metrics = [[{ id = "failed", expression = local.search.RecordsFailed }], [{ id = "skipped", expression = local.search.RecordsSkipped }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Records updated by a delta", metrics = [[{ id = "updated", expression = local.search.RecordsUpdated }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Requests to FiberConnect and 429 answers (per customer)", metrics = [[{ id = "requests", expression = local.search.TargetRequests }], [{ id = "throttled", expression = local.search.TargetThrottled }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Pace in force: target and source requests per second (per customer)", metrics = [[{ id = "target", expression = local.search.TargetRateLimit }], [{ id = "source", expression = local.search.SourceRateLimit }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Messages in the queues at the drain checks", metrics = [[{ id = "queued", expression = local.search.QueueMessages }]] }) },
  ]

  aws_widgets = [
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Queues: messages visible", stat = "Maximum", metrics = [for collection, name in var.queue_names : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, { label = collection }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Queues: age of the oldest message (seconds)", stat = "Maximum", metrics = [for collection, name in var.queue_names : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", name, { label = collection }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Dead-letter queues: messages", stat = "Maximum", metrics = [for collection, name in var.dead_letter_queue_names : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, { label = collection }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Step Functions: executions failed", stat = "Sum", metrics = [for template, arn in var.state_machine_arns : ["AWS/States", "ExecutionsFailed", "StateMachineArn", arn, { label = template }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Lambda: errors", stat = "Sum", metrics = [for handler, name in var.function_names : ["AWS/Lambda", "Errors", "FunctionName", name, { label = handler }]] }) },
    { type = "metric", width = 12, height = 6, properties = merge(local.graph, { title = "Lambda: throttles", stat = "Sum", metrics = [for handler, name in var.function_names : ["AWS/Lambda", "Throttles", "FunctionName", name, { label = handler }]] }) },
  ]

  widgets = concat(
    [{ type = "text", width = 24, height = 2, properties = { markdown = local.intro } }],
    length(var.alarm_arns) == 0 ? [] : [{ type = "alarm", width = 24, height = 3, properties = { title = "Alarms", alarms = var.alarm_arns } }],
    local.engine_widgets,
    local.aws_widgets,
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.dashboard_name
  dashboard_body = jsonencode({ widgets = local.widgets })
}
