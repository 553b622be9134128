variable "dashboard_name" {
  description = "Name of the dashboard: 1 to 255 characters of letters, digits, '-' and '_'."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.dashboard_name))
    error_message = "dashboard_name must be 1 to 255 characters of letters, digits, '-' and '_'."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace the functions write the engine's metrics to (their POWERTOOLS_METRICS_NAMESPACE)."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1 to 255 characters of letters, digits and . - _ / # :, not starting with AWS/."
  }
}

variable "queue_names" {
  description = "Work queue name per collection (collection => name): messages visible and age of the oldest message."
  type        = map(string)
  default     = {}
}

variable "dead_letter_queue_names" {
  description = "Dead-letter queue name per collection (collection => name): messages in it."
  type        = map(string)
  default     = {}
}

variable "function_names" {
  description = "Lambda function name per handler (handler => name): errors and throttles."
  type        = map(string)
  default     = {}
}

variable "state_machine_arns" {
  description = "State machine ARN per template (template => ARN): executions failed."
  type        = map(string)
  default     = {}
}

variable "alarm_arns" {
  description = "ARNs of the alarms the alarm widget shows; empty: no alarm widget."
  type        = list(string)
  default     = []
}

variable "period_seconds" {
  description = "Period of every graph in seconds: 60 or a multiple of 60, up to 86400."
  type        = number
  default     = 60

  validation {
    condition     = var.period_seconds >= 60 && var.period_seconds <= 86400 && var.period_seconds % 60 == 0
    error_message = "period_seconds must be a multiple of 60 from 60 to 86400."
  }
}
