variable "name_prefix" {
  description = "Prefix of every queue name: <name_prefix>-<collection>.fifo and <name_prefix>-<collection>-dlq.fifo. 1 to 60 characters of letters, digits, '-' and '_'."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,60}$", var.name_prefix))
    error_message = "name_prefix must be 1 to 60 characters of letters, digits, '-' and '_'."
  }
}

variable "collections" {
  description = "Collections that get a queue and a dead-letter queue (src/domain/constants.ts COLLECTIONS). At least one."
  type        = list(string)
  default     = ["projects", "contractors", "connections", "work-orders", "work-order-updates", "documents", "planboard-slots"]

  validation {
    condition     = length(var.collections) > 0 && alltrue([for c in var.collections : can(regex("^[a-z0-9-]{1,40}$", c))])
    error_message = "collections must be a non-empty list of lower-case names (letters, digits, '-'), at most 40 characters each."
  }
}

variable "max_receive_count" {
  description = "Deliveries of one message before SQS moves it to the dead-letter queue (the engine's MAX_RECEIVE_COUNT). 1 to 1000."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000."
  }
}

variable "consumer_timeout_seconds" {
  description = "Timeout of the consumer Lambda, in seconds (1 to 900). Only used to check that visibility_timeout_seconds is at least 6 x this."
  type        = number
  default     = 60

  validation {
    condition     = var.consumer_timeout_seconds >= 1 && var.consumer_timeout_seconds <= 900
    error_message = "consumer_timeout_seconds must be from 1 to 900."
  }
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the work queues, in seconds (0 to 43200; at least 6 x consumer_timeout_seconds). Default 360 = 6 x the consumer's 60 s."
  type        = number
  default     = 360

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be from 0 to 43200."
  }
}

variable "max_message_size" {
  description = "Largest message in bytes (1024 to 262144). The producer packs at most 200 KiB per message."
  type        = number
  default     = 262144

  validation {
    condition     = var.max_message_size >= 1024 && var.max_message_size <= 262144
    error_message = "max_message_size must be from 1024 to 262144."
  }
}

variable "message_retention_seconds" {
  description = "How long a work queue keeps a message, in seconds (60 to 1209600). Default 4 days."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be from 60 to 1209600."
  }
}

variable "dead_letter_message_retention_seconds" {
  description = "How long a dead-letter queue keeps a message, in seconds (60 to 1209600; not shorter than message_retention_seconds). Default 14 days, the most SQS allows: time to read the report and redrive."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dead_letter_message_retention_seconds >= 60 && var.dead_letter_message_retention_seconds <= 1209600
    error_message = "dead_letter_message_retention_seconds must be from 60 to 1209600."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long-poll wait of ReceiveMessage on the work queues, in seconds (0 to 20). The Lambda event source long-polls on its own."
  type        = number
  default     = 0

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be from 0 to 20."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for the queues' encryption; null uses SQS-managed keys (SSE-SQS). With a key, senders need kms:GenerateDataKey and kms:Decrypt on it, receivers kms:Decrypt."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags added to every queue."
  type        = map(string)
  default     = {}
}
