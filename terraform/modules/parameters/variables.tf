variable "parameter_prefix" {
  description = "Parameter Store path every name starts with, e.g. /fiberplan-migration/dev: a leading '/', no trailing '/', 2 to 200 characters (the handlers' PARAMETER_PREFIX)."
  type        = string
  default     = "/fiberplan-migration/dev"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9_.-]+)+$", var.parameter_prefix)) && length(var.parameter_prefix) <= 200
    error_message = "parameter_prefix must look like /fiberplan-migration/dev: a leading '/', no trailing '/', at most 200 characters."
  }
}

variable "resolved_profiles" {
  description = "Resolved profile JSON per customer (customer => JSON text), as `make build` writes them to dist/profiles.json. Include \"default\": customers without a profile run on it."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for json in values(var.resolved_profiles) : can(jsondecode(json))])
    error_message = "Every value of resolved_profiles must be JSON text."
  }
}

variable "profile_parameter_tier" {
  description = "Tier of the profile parameters: Standard (up to 4 KB), Advanced (up to 8 KB) or Intelligent-Tiering (Standard unless a profile needs more)."
  type        = string
  default     = "Intelligent-Tiering"

  validation {
    condition     = contains(["Standard", "Advanced", "Intelligent-Tiering"], var.profile_parameter_tier)
    error_message = "profile_parameter_tier must be Standard, Advanced or Intelligent-Tiering."
  }
}

variable "token_customers" {
  description = "Customers that get a FiberConnect token parameter (not secret); each needs its token in fiberconnect_tokens. Empty: no token parameters."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for customer in var.token_customers : can(regex("^[a-z0-9][a-z0-9-]{0,62}$", customer))])
    error_message = "token_customers must be customer names: lower-case letters, digits and '-'."
  }
}

variable "fiberconnect_tokens" {
  description = "FiberConnect bearer token per customer of token_customers (customer => token), written write-only to SecureString parameters: never in state or a plan. Secret: pass it with TF_VAR_fiberconnect_tokens or a git-ignored tfvars file, never in the repository."
  type        = map(string)
  default     = {}
  sensitive   = true
  ephemeral   = true
}

variable "secrets_version" {
  description = "Version of the secret values (value_wo_version of every SecureString Terraform writes), 1 or more: a write-only value is only sent when a parameter is created or this changes, so bump it after rotating a token or the database password."
  type        = number
  default     = 1

  validation {
    condition     = var.secrets_version >= 1 && floor(var.secrets_version) == var.secrets_version
    error_message = "secrets_version must be a whole number of at least 1."
  }
}

variable "fiberconnect_url" {
  description = "FiberConnect base URL (https://...); null creates no parameter."
  type        = string
  default     = null

  validation {
    condition     = var.fiberconnect_url == null || can(regex("^https?://", var.fiberconnect_url))
    error_message = "fiberconnect_url must be null or an http(s) URL."
  }
}

variable "manage_legacy_db_url" {
  description = "Whether Terraform writes <parameter_prefix>/legacy-db-url from legacy_db_url (true or false; written write-only either way). false: Terraform does not touch it; put the parameter yourself."
  type        = bool
  default     = true
}

variable "legacy_db_url" {
  description = "Legacy FiberPlan server as mysql://user:password@host:port, written write-only to a SecureString when manage_legacy_db_url is true: never in state or a plan. Secret: pass it with TF_VAR_legacy_db_url or a git-ignored tfvars file."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = var.legacy_db_url == null || can(regex("^mysql://", var.legacy_db_url))
    error_message = "legacy_db_url must be null or a mysql:// URL."
  }

  validation {
    condition     = !var.manage_legacy_db_url || var.legacy_db_url != null
    error_message = "legacy_db_url is required when manage_legacy_db_url is true (pass it with TF_VAR_legacy_db_url)."
  }
}

variable "kms_key_id" {
  description = "KMS key (id, ARN or alias) for the SecureString parameters; null uses the AWS managed key alias/aws/ssm."
  type        = string
  default     = null
}

variable "stack" {
  description = "The deployed stack for the ops CLI, written as JSON to <parameter_prefix>/stack: the migration, verification and rollback state machine ARNs, table names, bucket, region, the redrive, report and precheck functions' names, and queue and dead-letter queue URLs per collection. null creates no parameter."
  type = object({
    stateMachineArn         = string
    verifyStateMachineArn   = string
    rollbackStateMachineArn = string
    runsTable               = string
    ledgerTable             = string
    bucket                  = string
    region                  = string
    redriveFunctionName     = string
    reportFunctionName      = string
    precheckFunctionName    = string
    queueUrls               = map(string)
    deadLetterQueueUrls     = map(string)
  })
  default = null
}

variable "tags" {
  description = "Tags added to every parameter."
  type        = map(string)
  default     = {}
}
