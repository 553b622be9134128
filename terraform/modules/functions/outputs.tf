output "function_arns" {
  description = "ARN of each function (handler => ARN)."
  value       = { for handler, function in aws_lambda_function.this : handler => function.arn }
}

output "function_names" {
  description = "Name of each function (handler => name)."
  value       = { for handler, function in aws_lambda_function.this : handler => function.function_name }
}

output "role_arns" {
  description = "ARN of each function's execution role (handler => ARN)."
  value       = { for handler, role in aws_iam_role.this : handler => role.arn }
}

output "log_group_names" {
  description = "Log group of each function (handler => name)."
  value       = { for handler, group in aws_cloudwatch_log_group.this : handler => group.name }
}

output "event_source_mapping_uuids" {
  description = "UUID of the consumer's event source mapping per collection (collection => UUID)."
  value       = { for collection, mapping in aws_lambda_event_source_mapping.consumer : collection => mapping.uuid }
}
