variable "name_prefix" {
  description = "Prefix of the default bucket name <name_prefix>-data-<account id>. Lower-case letters, digits and '-', 1 to 36 characters (the whole bucket name must stay within 63)."
  type        = string
  default     = "fiberplan-migration"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,35}$", var.name_prefix))
    error_message = "name_prefix must be 1 to 36 lower-case letters, digits and '-', starting with a letter or digit."
  }
}

variable "bucket_name" {
  description = "Exact bucket name (3 to 63 lower-case letters, digits, '-' and '.'); null uses <name_prefix>-data-<account id>, which is unique per account."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be null or a valid S3 bucket name (3 to 63 lower-case letters, digits, '-' and '.')."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for default encryption (with an S3 Bucket Key); null uses SSE-S3 (AES256). The engine sends no encryption header, so every object follows this default."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "versioning_enabled" {
  description = "Keep object versions (true or false). Off by default: reports are written once per run id."
  type        = bool
  default     = false
}

variable "document_expiration_days" {
  description = "Days after which document claim checks (documents/) expire, 1 to 3650. Reports (reports/) and failed payloads (payloads/) are kept."
  type        = number
  default     = 30

  validation {
    condition     = var.document_expiration_days >= 1 && var.document_expiration_days <= 3650 && floor(var.document_expiration_days) == var.document_expiration_days
    error_message = "document_expiration_days must be a whole number from 1 to 3650."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions expire when versioning is on, 1 to 3650."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "noncurrent_version_expiration_days must be from 1 to 3650."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the bucket with its objects (reports included). true or false; false by default."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the bucket."
  type        = map(string)
  default     = {}
}
