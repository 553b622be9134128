output "stack_parameter_name" {
  description = "Parameter the ops CLI reads to find this stack."
  value       = module.migration.stack_parameter_name
}

output "migration_state_machine_arn" {
  description = "ARN of the per-customer migration state machine."
  value       = module.migration.migration_state_machine_arn
}

output "bucket_name" {
  description = "Bucket of the reports."
  value       = module.migration.bucket_name
}

output "queue_urls" {
  description = "Work queue URL per collection."
  value       = module.migration.queue_urls
}

output "dead_letter_queue_urls" {
  description = "Dead-letter queue URL per collection."
  value       = module.migration.dead_letter_queue_urls
}

output "dashboard_url" {
  description = "The stage's CloudWatch dashboard in the console."
  value       = module.migration.dashboard_url
}

output "alarm_topic_arn" {
  description = "The stage's alarm topic (it mails alarm_email_addresses)."
  value       = module.migration.alarm_topic_arn
}
