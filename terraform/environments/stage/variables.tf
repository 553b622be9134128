# The settings that differ between stages; <stage>.tfvars sets them. Values are
# checked where they are used, by the root module's variables (terraform/variables.tf).

variable "stage" {
  description = "Stage name (dev, prod): names become fiberplan-migration-<stage>-*. Required and set by <stage>.tfvars, so that no apply runs without a stage's settings."
  type        = string
}

variable "region" {
  description = "AWS region of the stage, e.g. eu-west-1."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "fiberconnect_url" {
  description = "FiberConnect base URL of the stage (https://...). Required and set by <stage>.tfvars."
  type        = string
}

variable "fiberconnect_tokens" {
  description = "FiberConnect bearer token per customer (customer => token). Secret and required: TF_VAR_fiberconnect_tokens='{\"acme\":\"...\"}' or a git-ignored <stage>.secret.tfvars."
  type        = map(string)
  sensitive   = true
}

variable "legacy_db_url" {
  description = "Legacy FiberPlan server, mysql://user:password@host:port. Secret and required: TF_VAR_legacy_db_url or a git-ignored <stage>.secret.tfvars."
  type        = string
  sensitive   = true
}

variable "subnet_ids" {
  description = "Private subnets from which the legacy database is reachable; empty when it is reachable without a VPC."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups for the functions (allowed to reach the database on 3306 and HTTPS out) when subnet_ids is given."
  type        = list(string)
  default     = []
}

variable "consumer_maximum_concurrency" {
  description = "Most consumer instances per queue at once, 2 to 1000."
  type        = number
  default     = 16
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic for alarm notifications; null: alarms only show in CloudWatch."
  type        = string
  default     = null
}

variable "log_level" {
  description = "Powertools log level of the handlers: DEBUG, INFO, WARN or ERROR."
  type        = string
  default     = "INFO"
}

variable "log_retention_days" {
  description = "Retention of every log group in days (a value CloudWatch Logs accepts, e.g. 14 or 90)."
  type        = number
  default     = 90
}

variable "retention_days" {
  description = "Days after which reports, failed payloads and a dry run's ledger entries expire, 1 to 3650."
  type        = number
  default     = 90
}

variable "state_machine_log_level" {
  description = "Step Functions execution logging: ALL, ERROR, FATAL or OFF."
  type        = string
  default     = "ERROR"
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection of the ledger and run tables (true or false). On unless a stage turns it off."
  type        = bool
  default     = true
}

variable "bucket_force_destroy" {
  description = "Let `terraform destroy` delete the bucket with its reports (true or false). Off unless a stage turns it on."
  type        = bool
  default     = false
}
