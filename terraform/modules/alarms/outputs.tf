output "topic_arn" {
  description = "ARN of the stage's alarm topic, which every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_arns" {
  description = "ARN of every alarm (name => ARN)."
  value = merge(
    { for _, alarm in aws_cloudwatch_metric_alarm.dead_letter : alarm.alarm_name => alarm.arn },
    { (aws_cloudwatch_metric_alarm.executions_failed.alarm_name) = aws_cloudwatch_metric_alarm.executions_failed.arn },
    { (aws_cloudwatch_metric_alarm.consumer_errors.alarm_name) = aws_cloudwatch_metric_alarm.consumer_errors.arn },
  )
}
