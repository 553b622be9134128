variable "stage" {
  description = "Stage name: names become fiberplan-migration-<stage>-* and parameters /fiberplan-migration/<stage>/*. 1 to 12 lower-case letters and digits (e.g. dev, prod)."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,11}$", var.stage))
    error_message = "stage must be 1 to 12 lower-case letters and digits, starting with a letter."
  }
}

variable "dist_dir" {
  description = "Folder of the Lambda bundles and profiles.json written by `make build`; null means <repository>/dist."
  type        = string
  default     = null
}

variable "profiles_file" {
  description = "JSON file of the resolved customer profiles (customer => profile) written by `make build`; null means <dist_dir>/profiles.json."
  type        = string
  default     = null
}

variable "fiberconnect_url" {
  description = "FiberConnect base URL (https://...), stored at <parameter prefix>/fiberconnect-url; null writes no parameter."
  type        = string
  default     = null
}

variable "token_customers" {
  description = "Customers whose FiberConnect token Terraform writes to <parameter prefix>/customers/<customer>/fiberconnect-token (not secret; each needs its token in fiberconnect_tokens)."
  type        = list(string)
  default     = []
}

variable "fiberconnect_tokens" {
  description = "FiberConnect bearer token per customer of token_customers (customer => token), written write-only (value_wo) to SecureStrings: never in state or a plan file. Secret: TF_VAR_fiberconnect_tokens or a git-ignored <stage>.secret.tfvars, never the repository."
  type        = map(string)
  default     = {}
  sensitive   = true
  ephemeral   = true
}

variable "manage_legacy_db_url" {
  description = "Whether Terraform writes <parameter prefix>/legacy-db-url, write-only (true or false). false: Terraform never touches it; put it with `aws ssm put-parameter --type SecureString`."
  type        = bool
  default     = true
}

variable "legacy_db_url" {
  description = "Legacy FiberPlan server, mysql://user:password@host:port, written write-only (value_wo) to a SecureString: never in state or a plan file. Secret: TF_VAR_legacy_db_url or a git-ignored <stage>.secret.tfvars. Required when manage_legacy_db_url is true."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "secrets_version" {
  description = "Version of the secrets Terraform writes (value_wo_version), 1 or more: write-only values are sent when a parameter is created or this changes, so bump it after rotating a token or the database password."
  type        = number
  default     = 1

  validation {
    condition     = var.secrets_version >= 1 && floor(var.secrets_version) == var.secrets_version
    error_message = "secrets_version must be a whole number of at least 1."
  }
}

variable "max_receive_count" {
  description = "Deliveries of a queue message before it is dead-lettered, 1 to 1000 (the consumer records transient_exhausted on the last one)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be from 1 to 1000."
  }
}

variable "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the work queues in seconds: at least 6 x the consumer timeout (60), AWS's rule for an SQS event source, at most 43200. Keep max_receive_count x this below the profiles' drainTimeoutSeconds."
  type        = number
  default     = 360

  validation {
    condition     = var.queue_visibility_timeout_seconds >= 360 && var.queue_visibility_timeout_seconds <= 43200
    error_message = "queue_visibility_timeout_seconds must be from 360 (6 x the consumer timeout) to 43200."
  }
}

variable "consumer_batch_size" {
  description = "Messages per consumer invocation, 1 to 10."
  type        = number
  default     = 10

  validation {
    condition     = var.consumer_batch_size >= 1 && var.consumer_batch_size <= 10
    error_message = "consumer_batch_size must be from 1 to 10."
  }
}

variable "consumer_maximum_concurrency" {
  description = "Most consumer instances per queue at once (event source maximum concurrency), 2 to 1000."
  type        = number
  default     = 16

  validation {
    condition     = var.consumer_maximum_concurrency >= 2 && var.consumer_maximum_concurrency <= 1000
    error_message = "consumer_maximum_concurrency must be from 2 to 1000."
  }
}

variable "log_level" {
  description = "Powertools log level of the handlers: DEBUG, INFO, WARN or ERROR."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "log_retention_days" {
  description = "Retention of every log group in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts."
  }
}

variable "state_machine_log_level" {
  description = "Step Functions execution logging: ALL, ERROR, FATAL or OFF."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL", "OFF"], var.state_machine_log_level)
    error_message = "state_machine_log_level must be ALL, ERROR, FATAL or OFF."
  }
}

variable "include_execution_data" {
  description = "Log state input and output with Step Functions events (true or false; holds customer data, no secrets)."
  type        = bool
  default     = false
}

variable "tracing_enabled" {
  description = "X-Ray tracing of functions and state machines (true or false)."
  type        = bool
  default     = false
}

variable "subnet_ids" {
  description = "Subnets for the functions when the legacy database is only reachable in a VPC; empty: no VPC."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups for the functions when subnet_ids is given."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "Customer managed KMS key ARN for DynamoDB, S3 (the bucket's default encryption, which every object follows), SQS, the SecureString parameters and every log group; null uses the AWS managed keys (everything is encrypted either way). Its key policy must let CloudWatch Logs use it (docs/deploy.md)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "point_in_time_recovery" {
  description = "DynamoDB point-in-time recovery (true or false)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection (true or false); turn on for prod."
  type        = bool
  default     = false
}

variable "bucket_name" {
  description = "Exact bucket name; null means fiberplan-migration-<stage>-data-<account id>."
  type        = string
  default     = null
}

variable "bucket_versioning_enabled" {
  description = "S3 versioning of the bucket (true or false)."
  type        = bool
  default     = false
}

variable "bucket_force_destroy" {
  description = "Let `terraform destroy` delete the bucket with its reports (true or false). Keep false in prod."
  type        = bool
  default     = false
}

variable "document_expiration_days" {
  description = "Days after which document claim checks (documents/) expire, 1 to 3650; reports are kept."
  type        = number
  default     = 30

  validation {
    condition     = var.document_expiration_days >= 1 && var.document_expiration_days <= 3650
    error_message = "document_expiration_days must be from 1 to 3650."
  }
}

variable "retention_days" {
  description = "Days after which reports (reports/), failed payloads (payloads/), dead-letter copies (dead-letters/) and a dry run's ledger entries expire (S3 lifecycle, DynamoDB TTL on expiresAt), 1 to 3650. The ledger's real entries, runs and restore debt are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 3650 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number from 1 to 3650."
  }
}

variable "queue_message_retention_seconds" {
  description = "How long a work queue keeps a message, in seconds (60 to 1209600). Default 4 days."
  type        = number
  default     = 345600

  validation {
    condition     = var.queue_message_retention_seconds >= 60 && var.queue_message_retention_seconds <= 1209600
    error_message = "queue_message_retention_seconds must be from 60 to 1209600."
  }
}

variable "dead_letter_message_retention_seconds" {
  description = "How long a dead-letter queue keeps a message, in seconds (60 to 1209600, the SQS maximum of 14 days; not shorter than queue_message_retention_seconds). Every dead letter is also copied to the bucket (dead-letters/), which keeps it beyond."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dead_letter_message_retention_seconds >= 60 && var.dead_letter_message_retention_seconds <= 1209600
    error_message = "dead_letter_message_retention_seconds must be from 60 to 1209600."
  }
}

variable "consumer_reserved_concurrency" {
  description = "Reserved concurrency of the consumer Lambda: null leaves it unreserved (sharing the account's pool), otherwise at least consumer_maximum_concurrency x 7 queues so no queue's poller is throttled into retries."
  type        = number
  default     = null

  validation {
    condition     = var.consumer_reserved_concurrency == null || try(var.consumer_reserved_concurrency >= 1, false)
    error_message = "consumer_reserved_concurrency must be null or 1 or more."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions expire when bucket_versioning_enabled is true, 1 to 3650."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "noncurrent_version_expiration_days must be from 1 to 3650."
  }
}

variable "alarm_period_seconds" {
  description = "Period of every alarm in seconds: 60 or a multiple of 60, up to 86400."
  type        = number
  default     = 300

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds <= 86400 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be a multiple of 60 from 60 to 86400."
  }
}

variable "consumer_errors_threshold" {
  description = "Consumer invocation errors per alarm period above which the consumer-errors alarm fires (0 or more)."
  type        = number
  default     = 0

  validation {
    condition     = var.consumer_errors_threshold >= 0
    error_message = "consumer_errors_threshold must be 0 or more."
  }
}

variable "alarm_sns_topic_arn" {
  description = "An existing SNS topic that also gets every alarm (a chat or paging integration); null: only the stage's own alarm topic."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be null or an SNS topic ARN."
  }
}

variable "alarm_email_addresses" {
  description = "E-mail addresses subscribed to the stage's alarm topic <name_prefix>-alarms (each confirms once, by the link AWS mails it); empty: no one is mailed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for address in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "alarm_email_addresses must be e-mail addresses (name@domain.tld)."
  }
}

variable "dashboard_period_seconds" {
  description = "Period of every graph of the stage's dashboard in seconds: 60 or a multiple of 60, up to 86400."
  type        = number
  default     = 60

  validation {
    condition     = var.dashboard_period_seconds >= 60 && var.dashboard_period_seconds <= 86400 && var.dashboard_period_seconds % 60 == 0
    error_message = "dashboard_period_seconds must be a multiple of 60 from 60 to 86400."
  }
}

variable "tags" {
  description = "Tags added to every resource (Project and Stage are always added)."
  type        = map(string)
  default     = {}
}
