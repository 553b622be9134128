variable "name_prefix" {
  description = "Prefix of every state machine name (<name_prefix>-<template>), the role and the log group. 1 to 50 characters of letters, digits, '-' and '_'."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,50}$", var.name_prefix))
    error_message = "name_prefix must be 1 to 50 characters of letters, digits, '-' and '_'."
  }
}

variable "function_arns" {
  description = "ARN of every engine function (handler => ARN): the templates' $${<handler>_function_arn}, and what the role may invoke. Must hold configure, save-workflows, deactivate-workflows, restore-workflows, email-off, email-restore, jobs-check, producer, drain-check, report and delete-missing."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.function_arns) == 0 || length(setsubtract(["configure", "save-workflows", "deactivate-workflows", "restore-workflows", "email-off", "email-restore", "jobs-check", "producer", "drain-check", "report", "delete-missing"], keys(var.function_arns))) == 0
    error_message = "function_arns must name every function the templates call."
  }
}

variable "log_level" {
  description = "Execution history logged to CloudWatch Logs: ALL, ERROR, FATAL or OFF."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL", "OFF"], var.log_level)
    error_message = "log_level must be ALL, ERROR, FATAL or OFF."
  }
}

variable "include_execution_data" {
  description = "Log state input and output with the execution events (true or false). They hold source rows, never secrets; off by default to keep customer data out of the logs."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the state machines' log group in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a KMS key for the log group; null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tracing_enabled" {
  description = "X-Ray tracing of the executions (true or false)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every state machine, the role and the log group."
  type        = map(string)
  default     = {}
}
