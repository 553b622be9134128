variable "region" {
  description = "AWS region of the prod stage, e.g. eu-west-1."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "fiberconnect_url" {
  description = "FiberConnect base URL of this stage (https://...)."
  type        = string
  default     = "https://api.fiberconnect.example"

  validation {
    condition     = can(regex("^https?://", var.fiberconnect_url))
    error_message = "fiberconnect_url must be an http(s) URL."
  }
}

variable "fiberconnect_tokens" {
  description = "FiberConnect bearer token per customer (customer => token). Secret and required: TF_VAR_fiberconnect_tokens='{\"acme\":\"...\"}' or a git-ignored secrets.auto.tfvars."
  type        = map(string)
  sensitive   = true
}

variable "legacy_db_url" {
  description = "Legacy FiberPlan server, mysql://user:password@host:port. Secret and required: TF_VAR_legacy_db_url or a git-ignored secrets.auto.tfvars."
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
  default     = 8

  validation {
    condition     = var.consumer_maximum_concurrency >= 2 && var.consumer_maximum_concurrency <= 1000
    error_message = "consumer_maximum_concurrency must be from 2 to 1000."
  }
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic for alarm notifications; null: alarms only show in CloudWatch."
  type        = string
  default     = null
}

variable "bucket_force_destroy" {
  description = "Let `terraform destroy` delete the bucket with its reports (true or false)."
  type        = bool
  default     = false
}
