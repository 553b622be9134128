output "state_machine_arns" {
  description = "ARN of each state machine (template name => ARN)."
  value       = { for name, machine in aws_sfn_state_machine.this : name => machine.arn }
}

output "migration_state_machine_arn" {
  description = "ARN of the per-customer migration state machine (what `make migrate` starts)."
  value       = aws_sfn_state_machine.this["migration"].arn
}

output "migration_state_machine_name" {
  description = "Name of the per-customer migration state machine (for its alarm)."
  value       = aws_sfn_state_machine.this["migration"].name
}

output "rollback_state_machine_arn" {
  description = "ARN of the per-customer rollback state machine (what `make rollback` starts)."
  value       = aws_sfn_state_machine.this["rollback"].arn
}

output "redrive_state_machine_arn" {
  description = "ARN of the per-customer redrive state machine (what `make redrive` starts)."
  value       = aws_sfn_state_machine.this["redrive"].arn
}

output "role_arn" {
  description = "ARN of the state machines' role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Log group of the executions."
  value       = aws_cloudwatch_log_group.this.name
}
