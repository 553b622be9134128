output "name_prefix" {
  description = "Prefix of every resource name of this stage."
  value       = local.name_prefix
}

output "parameter_prefix" {
  description = "Parameter Store prefix of this stage (PARAMETER_PREFIX)."
  value       = local.parameter_prefix
}

output "stack_parameter_name" {
  description = "Parameter the ops CLI reads to find this stack (<parameter prefix>/stack)."
  value       = module.parameters.stack_parameter_name
}

output "migration_state_machine_arn" {
  description = "ARN of the per-customer migration state machine."
  value       = module.statemachines.migration_state_machine_arn
}

output "state_machine_arns" {
  description = "ARN of every state machine (template => ARN)."
  value       = module.statemachines.state_machine_arns
}

output "function_names" {
  description = "Name of every Lambda function (handler => name)."
  value       = module.functions.function_names
}

output "queue_urls" {
  description = "Work queue URL per collection."
  value       = module.queues.queue_urls
}

output "dead_letter_queue_urls" {
  description = "Dead-letter queue URL per collection."
  value       = module.queues.dead_letter_queue_urls
}

output "bucket_name" {
  description = "Bucket of reports, failed payloads and document claim checks."
  value       = module.storage.bucket_name
}

output "ledger_table_name" {
  description = "Ledger table name."
  value       = module.ledger.ledger_table_name
}

output "runs_table_name" {
  description = "Runs table name."
  value       = module.ledger.runs_table_name
}

output "rate_limit_table_name" {
  description = "Rate-limit table name."
  value       = module.ledger.rate_limit_table_name
}

output "alarm_arns" {
  description = "ARN of every alarm."
  value       = module.alarms.alarm_arns
}

output "alarm_topic_arn" {
  description = "The stage's alarm topic: every alarm notifies it, and it mails alarm_email_addresses."
  value       = module.alarms.topic_arn
}

output "metrics_namespace" {
  description = "CloudWatch namespace of the engine's own metrics."
  value       = local.metrics_namespace
}

output "dashboard_url" {
  description = "The stage's CloudWatch dashboard in the console."
  value       = module.dashboard.dashboard_url
}
