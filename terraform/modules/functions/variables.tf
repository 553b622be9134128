variable "name_prefix" {
  description = "Prefix of every function, role and log group name: <name_prefix>-<handler>. 1 to 40 characters of letters, digits, '-' and '_'."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be 1 to 40 characters of letters, digits, '-' and '_'."
  }
}

variable "functions" {
  description = <<-EOT
    One entry per handler (the bundle folder dist/<handler>/): timeout in seconds (1 to 900), memory_size in MB (128 to 10240),
    grants (what the handler may touch; any of ledger_read, ledger_write, ledger_query, ledger_report, ledger_source_ids, runs_read, runs_query, runs_write, runs_batch, rate_limits,
    queues_send, queues_consume, queues_depth, dead_letter_redrive, documents_write, documents_read, payloads_write, dead_letters_write,
    reports_write, profiles_read, target_access, legacy_db, run_locks, executions_describe) and reserved_concurrent_executions (-1 = unreserved).
  EOT
  type = map(object({
    timeout                        = number
    memory_size                    = number
    grants                         = list(string)
    reserved_concurrent_executions = optional(number, -1)
  }))
  default = {}

  validation {
    condition     = alltrue([for f in values(var.functions) : f.timeout >= 1 && f.timeout <= 900 && f.memory_size >= 128 && f.memory_size <= 10240])
    error_message = "Every function needs a timeout from 1 to 900 seconds and a memory_size from 128 to 10240 MB."
  }

  validation {
    condition = alltrue(flatten([for f in values(var.functions) : [for g in f.grants : contains([
      "ledger_read", "ledger_write", "ledger_query", "ledger_report", "ledger_source_ids", "runs_read", "runs_query", "runs_write", "runs_batch", "rate_limits", "queues_send", "queues_consume",
      "queues_depth", "dead_letter_redrive", "documents_write", "documents_read", "payloads_write", "dead_letters_write", "reports_write",
      "profiles_read", "target_access", "legacy_db", "run_locks", "executions_describe",
    ], g)]]))
    error_message = "A grant is unknown: see the description of var.functions for the names."
  }
}

variable "dist_dir" {
  description = "Folder of the esbuild bundles (make build writes dist/<handler>/index.mjs and its source map), relative to the working directory or absolute."
  type        = string
  default     = "dist"
}

variable "build_dir" {
  description = "Folder where the deployment zips are written (git-ignored), relative to the working directory or absolute."
  type        = string
  default     = ".terraform/build"
}

variable "ledger_table_name" {
  description = "Name of the ledger table (LEDGER_TABLE)."
  type        = string
  default     = ""
}

variable "ledger_table_arn" {
  description = "ARN of the ledger table."
  type        = string
  default     = ""
}

variable "ledger_run_index_arn" {
  description = "ARN of the ledger's by-run index (the report's Query)."
  type        = string
  default     = ""
}

variable "ledger_source_index_arn" {
  description = "ARN of the ledger's by-source-id index (the producer's Query for rows gone from FiberPlan)."
  type        = string
  default     = ""
}

variable "runs_table_name" {
  description = "Name of the runs table (RUNS_TABLE)."
  type        = string
  default     = ""
}

variable "runs_table_arn" {
  description = "ARN of the runs table."
  type        = string
  default     = ""
}

variable "rate_limit_table_name" {
  description = "Name of the rate-limit table (RATE_LIMIT_TABLE)."
  type        = string
  default     = ""
}

variable "rate_limit_table_arn" {
  description = "ARN of the rate-limit table."
  type        = string
  default     = ""
}

variable "bucket_name" {
  description = "Name of the engine's bucket (BUCKET)."
  type        = string
  default     = ""
}

variable "bucket_arn" {
  description = "ARN of the engine's bucket: grants are narrowed to documents/*, payloads/* and reports/* under it."
  type        = string
  default     = ""
}

variable "queue_urls" {
  description = "Work queue URL per collection (collection => URL), given to every function as QUEUE_URLS JSON."
  type        = map(string)
  default     = {}
}

variable "queue_arns" {
  description = "Work queue ARN per collection (collection => ARN): the consumer gets one event source mapping per entry."
  type        = map(string)
  default     = {}
}

variable "dead_letter_queue_urls" {
  description = "Dead-letter queue URL per collection (collection => URL), given as DEAD_LETTER_QUEUE_URLS JSON."
  type        = map(string)
  default     = {}
}

variable "dead_letter_queue_arns" {
  description = "Dead-letter queue ARN per collection (collection => ARN), for the redrive grant."
  type        = map(string)
  default     = {}
}

variable "max_receive_count" {
  description = "The queues' maxReceiveCount, given as MAX_RECEIVE_COUNT (1 to 1000): the consumer records transient_exhausted on the last delivery."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be from 1 to 1000."
  }
}

variable "parameter_prefix" {
  description = "Parameter Store prefix (PARAMETER_PREFIX), e.g. /fiberplan-migration/dev: leading '/', no trailing '/'."
  type        = string
  default     = "/fiberplan-migration/dev"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9_.-]+)+$", var.parameter_prefix))
    error_message = "parameter_prefix must look like /fiberplan-migration/dev."
  }
}

variable "parameters_kms_key_arn" {
  description = "ARN of the customer managed KMS key of the SecureString parameters; null means the AWS managed key alias/aws/ssm."
  type        = string
  default     = null
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the engine's own metrics (POWERTOOLS_METRICS_NAMESPACE): 1 to 255 characters of letters, digits and . - _ / # :, not starting with AWS/."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1 to 255 characters of letters, digits and . - _ / # :, not starting with AWS/."
  }
}

variable "log_level" {
  description = "Powertools log level of every handler: DEBUG, INFO, WARN or ERROR."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "log_retention_days" {
  description = "Retention of every function's log group in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "data_kms_key_arn" {
  description = "ARN of the customer managed KMS key of the queues and the bucket, if any: the grants that send, receive, write or read them also allow GenerateDataKey/Decrypt on it through SQS and S3. null: SSE-SQS and the bucket's own default need no key grant."
  type        = string
  default     = null
}

variable "log_kms_key_arn" {
  description = "ARN of a KMS key for the log groups; null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tracing_enabled" {
  description = "X-Ray active tracing on every function (true or false)."
  type        = bool
  default     = false
}

variable "subnet_ids" {
  description = "Subnets to run the functions in, to reach the legacy database in a VPC. Empty (with security_group_ids empty): no VPC and no ENI permissions."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups of the functions when subnet_ids is given."
  type        = list(string)
  default     = []
}

variable "consumer_batch_size" {
  description = "Messages per consumer invocation, 1 to 10 (the FIFO maximum)."
  type        = number
  default     = 10

  validation {
    condition     = var.consumer_batch_size >= 1 && var.consumer_batch_size <= 10
    error_message = "consumer_batch_size must be from 1 to 10."
  }
}

variable "consumer_maximum_concurrency" {
  description = "Most consumer instances per queue at once (the event source's maximum concurrency), 2 to 1000."
  type        = number
  default     = 16

  validation {
    condition     = var.consumer_maximum_concurrency >= 2 && var.consumer_maximum_concurrency <= 1000
    error_message = "consumer_maximum_concurrency must be from 2 to 1000."
  }
}

variable "retention_days" {
  description = "Days after which a dry run's ledger entries expire (the handlers' RETENTION_DAYS: their expiresAt), 1 to 3650."
  type        = number
  default     = 90

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 3650 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number from 1 to 3650."
  }
}

variable "extra_environment" {
  description = "More environment variables for every function (the engine's own variables win on a clash)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags added to every function, role, log group and event source mapping."
  type        = map(string)
  default     = {}
}
