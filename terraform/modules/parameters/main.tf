# The Parameter Store entries the engine reads (src/profile/parameter-store/parameters.ts) and
# the stack description the ops CLI reads (<parameter_prefix>/stack).
#
# Secrets are written with the write-only value_wo (Terraform 1.11+): the
# provider sends them to SSM and Terraform keeps them in neither the state nor
# a plan file (their variables are ephemeral). A write-only value is only sent
# when the parameter is created or when value_wo_version changes: bump
# secrets_version to rewrite them after a rotation.

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
  # The customers are not secret (an ephemeral map cannot be iterated): their tokens come from fiberconnect_tokens.
  for_each = toset(var.token_customers)

  name             = "${var.parameter_prefix}/customers/${each.key}/fiberconnect-token"
  description      = "FiberConnect bearer token of customer ${each.key}"
  type             = "SecureString"
  key_id           = var.kms_key_id
  value_wo         = var.fiberconnect_tokens[each.key]
  value_wo_version = var.secrets_version

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
  # manage_legacy_db_url = false: Terraform does not touch the parameter; put it with `aws ssm put-parameter`.
  count = var.manage_legacy_db_url ? 1 : 0

  name             = "${var.parameter_prefix}/legacy-db-url"
  description      = "Legacy FiberPlan server, mysql://user:password@host:port"
  type             = "SecureString"
  key_id           = var.kms_key_id
  value_wo         = var.legacy_db_url
  value_wo_version = var.secrets_version

  tags = var.tags
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
