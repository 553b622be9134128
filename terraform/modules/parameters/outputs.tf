output "parameter_prefix" {
  description = "The Parameter Store prefix (the handlers' PARAMETER_PREFIX)."
  value       = var.parameter_prefix
}

output "profile_parameter_names" {
  description = "Name of each customer's profile parameter (customer => name)."
  value       = { for customer, parameter in aws_ssm_parameter.profile : customer => parameter.name }
}

output "token_parameter_names" {
  description = "Name of each customer's FiberConnect token parameter (customer => name)."
  value       = { for customer, parameter in aws_ssm_parameter.fiberconnect_token : customer => parameter.name }
}

output "stack_parameter_name" {
  description = "Name of the stack description parameter the ops CLI reads (null when no stack was given)."
  value       = one(aws_ssm_parameter.stack[*].name)
}
