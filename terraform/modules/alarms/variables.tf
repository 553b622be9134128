variable "name_prefix" {
  description = "Prefix of every alarm name. 1 to 100 characters."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = length(var.name_prefix) >= 1 && length(var.name_prefix) <= 100
    error_message = "name_prefix must be 1 to 100 characters."
  }
}

variable "dead_letter_queue_names" {
  description = "Dead-letter queue name per collection (collection => name): one alarm each when a message is in it."
  type        = map(string)
  default     = {}
}

variable "migration_state_machine_arn" {
  description = "ARN of the per-customer migration state machine (ExecutionsFailed alarm)."
  type        = string
  default     = ""
}

variable "consumer_function_name" {
  description = "Name of the consumer Lambda (Errors alarm)."
  type        = string
  default     = ""
}

variable "consumer_errors_threshold" {
  description = "Consumer invocation errors per period that raise the alarm (0 or more; the alarm fires above it)."
  type        = number
  default     = 0

  validation {
    condition     = var.consumer_errors_threshold >= 0
    error_message = "consumer_errors_threshold must be 0 or more."
  }
}

variable "period_seconds" {
  description = "Period of every alarm in seconds: 60 or a multiple of 60, up to 86400."
  type        = number
  default     = 300

  validation {
    condition     = var.period_seconds >= 60 && var.period_seconds <= 86400 && var.period_seconds % 60 == 0
    error_message = "period_seconds must be a multiple of 60 from 60 to 86400."
  }
}

variable "email_addresses" {
  description = "E-mail addresses subscribed to the stage's alarm topic (each confirms once, by the link AWS mails it); empty: the topic has no subscriber."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for address in var.email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "email_addresses must be e-mail addresses (name@domain.tld)."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key that encrypts the alarm topic (its key policy must let cloudwatch.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt); null: the topic is not encrypted at rest."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "sns_topic_arn" {
  description = "An existing SNS topic that also receives alarm and OK notifications (a chat or paging integration); null: only the stage's own topic."
  type        = string
  default     = null

  validation {
    condition     = var.sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:", var.sns_topic_arn))
    error_message = "sns_topic_arn must be null or an SNS topic ARN."
  }
}

variable "tags" {
  description = "Tags added to every alarm."
  type        = map(string)
  default     = {}
}
