# The Parameter Store entries the engine reads (src/profile/parameters.ts) and
# the stack description the ops CLI reads (<parameter_prefix>/stack).

locals {
  # Keys of a sensitive map are sensitive too; customer names are not secret.
  token_customers = nonsensitive(toset(keys(var.fiberconnect_tokens)))
}

resource "aws_ssm_parameter" "profile" {
  for_each = var.resolved_profiles

  name        = "${var.parameter_prefix}/customers/${each.key}/profile"
  description = "Resolved migration profile of customer ${each.key} (dist/profiles.json)"
  type        = "String"
  tier        = var.profile_parameter_tier
  value       = each.value

  tags = var.tags
}

resource "aws_ssm_parameter" "fiberconnect_token" {
  for_each = local.token_customers

  name        = "${var.parameter_prefix}/customers/${each.key}/fiberconnect-token"
  description = "FiberConnect bearer token of customer ${each.key}"
  type        = "SecureString"
  key_id      = var.kms_key_id
  value       = var.fiberconnect_tokens[each.key]

  tags = var.tags
}

resource "aws_ssm_parameter" "fiberconnect_url" {
  count = var.fiberconnect_url == null ? 0 : 1

  name        = "${var.parameter_prefix}/fiberconnect-url"
  description = "FiberConnect base URL"
  type        = "String"
  value       = var.fiberconnect_url

  tags = var.tags
}

resource "aws_ssm_parameter" "legacy_db_url" {
  # manage_legacy_db_url = false keeps the URL out of Terraform (and its state): put it with `aws ssm put-parameter`.
  count = var.manage_legacy_db_url ? 1 : 0

  name        = "${var.parameter_prefix}/legacy-db-url"
  description = "Legacy FiberPlan server, mysql://user:password@host:port"
  type        = "SecureString"
  key_id      = var.kms_key_id
  value       = var.legacy_db_url

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.legacy_db_url != null
      error_message = "legacy_db_url is required when manage_legacy_db_url is true (pass it with TF_VAR_legacy_db_url)."
    }
  }
}

resource "aws_ssm_parameter" "stack" {
  count = var.stack == null ? 0 : 1

  name        = "${var.parameter_prefix}/stack"
  description = "The deployed stack, for the ops CLI (make migrate / report / redrive with STAGE)"
  type        = "String"
  tier        = "Intelligent-Tiering"
  value = jsonencode({
    stateMachineArn         = var.stack.stateMachineArn
    verifyStateMachineArn   = var.stack.verifyStateMachineArn
    rollbackStateMachineArn = var.stack.rollbackStateMachineArn
    redriveStateMachineArn  = var.stack.redriveStateMachineArn
    runsTable               = var.stack.runsTable
    ledgerTable             = var.stack.ledgerTable
    bucket                  = var.stack.bucket
    region                  = var.stack.region
    precheckFunctionName    = var.stack.precheckFunctionName
    consumerTimeoutSeconds  = var.stack.consumerTimeoutSeconds
    queueUrls               = var.stack.queueUrls
    deadLetterQueueUrls     = var.stack.deadLetterQueueUrls
  })

  tags = var.tags
}
