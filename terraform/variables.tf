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

variable "fiberconnect_tokens" {
  description = "FiberConnect bearer token per customer (customer => token), stored as SecureString. Secret: TF_VAR_fiberconnect_tokens or a git-ignored *.auto.tfvars, never the repository."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "manage_legacy_db_url" {
  description = "Whether Terraform writes <parameter prefix>/legacy-db-url (true or false). false keeps the password out of the Terraform state; put the parameter with `aws ssm put-parameter`."
  type        = bool
  default     = true
}

variable "legacy_db_url" {
  description = "Legacy FiberPlan server, mysql://user:password@host:port (SecureString). Secret: TF_VAR_legacy_db_url or a git-ignored *.auto.tfvars. Required when manage_legacy_db_url is true."
  type        = string
  default     = null
  sensitive   = true
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
  description = "Visibility timeout of the work queues in seconds, at least the consumer timeout (60) + 10, at most 43200. Keep max_receive_count x this below the profiles' drainTimeoutSeconds (900)."
  type        = number
  default     = 90

  validation {
    condition     = var.queue_visibility_timeout_seconds >= 70 && var.queue_visibility_timeout_seconds <= 43200
    error_message = "queue_visibility_timeout_seconds must be from 70 to 43200."
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
  description = "Customer managed KMS key ARN for DynamoDB, S3 and the SecureString parameters; null uses the AWS managed keys (everything is encrypted either way)."
  type        = string
  default     = null
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
  description = "Days after which reports (reports/), failed payloads (payloads/) and a dry run's ledger entries expire (S3 lifecycle, DynamoDB TTL on expiresAt), 1 to 3650. The ledger's real entries, runs and restore debt are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 3650 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number from 1 to 3650."
  }
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic for alarm notifications; null: alarms only show in CloudWatch."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (Project and Stage are always added)."
  type        = map(string)
  default     = {}
}
