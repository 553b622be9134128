variable "name_prefix" {
  description = "Prefix of the table names: <name_prefix>-ledger, <name_prefix>-runs, <name_prefix>-rate-limits. 1 to 200 characters of letters, digits, '-', '_' and '.'."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,200}$", var.name_prefix))
    error_message = "name_prefix must be 1 to 200 characters of letters, digits, '-', '_' and '.'."
  }
}

variable "point_in_time_recovery" {
  description = "Point-in-time recovery on every table (true or false). On by default: the ledger is what makes a re-run exact."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for the tables' encryption at rest; null uses the AWS managed key aws/dynamodb (encryption is always on)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection on every table (true or false). Turn it on for production stages."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every table."
  type        = map(string)
  default     = {}
}
