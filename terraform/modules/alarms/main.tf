# CloudWatch alarms of the engine: anything dead-lettered, a failed migration
# execution, consumer errors. Actions go to an SNS topic when one is given.

locals {
  actions = var.sns_topic_arn == null ? [] : [var.sns_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "dead_letter" {
  for_each = var.dead_letter_queue_names

  alarm_name          = "${var.name_prefix}-${each.key}-dead-letters"
  alarm_description   = "Messages of ${each.key} were dead-lettered: read the run's report, then `make redrive`."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = var.period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "executions_failed" {
  alarm_name          = "${var.name_prefix}-migration-failed"
  alarm_description   = "A customer's migration execution failed (workflows and e-mail were restored; read its report)."
  namespace           = "AWS/States"
  metric_name         = "ExecutionsFailed"
  dimensions          = { StateMachineArn = var.migration_state_machine_arn }
  statistic           = "Sum"
  period              = var.period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "consumer_errors" {
  alarm_name          = "${var.name_prefix}-consumer-errors"
  alarm_description   = "The consumer Lambda failed invocations (not record failures, which it reports per message)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = var.consumer_function_name }
  statistic           = "Sum"
  period              = var.period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.consumer_errors_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  tags = var.tags
}
