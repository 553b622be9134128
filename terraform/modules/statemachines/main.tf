# One STANDARD state machine per template in statemachines/ (the only workflow
# definitions), rendered with templatefile. State machine ARNs are built from
# names, region and account, so templates can name each other without a cycle.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name
  account   = data.aws_caller_identity.current.account_id

  # Template (statemachines/<name>.json) => what it is.
  state_machines = {
    "migration"                   = "One customer: configure, switch the target off, the flows, the planboard wait, restore, report"
    "process"                     = "ProcessFlow: a Distributed Map running a flow once per active sub-project"
    "migrate"                     = "MigrateFlow: projects and contractors, then connections, then work orders"
    "update-migrated-assignments" = "UpdateMigratedAssignmentsFlow: work-order updates"
    "migrate-documents"           = "MigrateDocumentsFlow: documents"
    "migrate-planboard"           = "MigratePlanboardFlow: planboard slots"
    "resource"                    = "ResourceFlow: produce one collection of one sub-project and wait until its queue is drained"
    "generate-report"             = "GenerateReportFlow: the report to S3"
    "verify"                      = "VerifyFlow: read-only proof that FiberConnect holds what the ledger says (make verify)"
    "rollback"                    = "One customer's rollback: configure, switch the target off, remove per sub-project, restore, rollback report"
    "rollback-subproject"         = "RollbackSubprojectFlow: one sub-project's collections removed, children before parents"
    "remove-resource"             = "RemoveFlow: queue one collection's removals of one sub-project and wait until its queue is drained"
    "redrive"                     = "One customer's redrive: configure, switch the target off, the customer's dead letters back collection by collection, restore, report"
  }

  state_machine_arn_prefix = "arn:${local.partition}:states:${local.region}:${local.account}:stateMachine:${var.name_prefix}-"
  execution_arn_prefix     = "arn:${local.partition}:states:${local.region}:${local.account}:execution:${var.name_prefix}-"

  # Every variable the templates interpolate: ${<handler>_function_arn} and ${<template>_flow_arn}.
  template_variables = {
    configure_function_arn               = var.function_arns["configure"]
    save_workflows_function_arn          = var.function_arns["save-workflows"]
    deactivate_workflows_function_arn    = var.function_arns["deactivate-workflows"]
    restore_workflows_function_arn       = var.function_arns["restore-workflows"]
    email_off_function_arn               = var.function_arns["email-off"]
    email_restore_function_arn           = var.function_arns["email-restore"]
    jobs_check_function_arn              = var.function_arns["jobs-check"]
    producer_function_arn                = var.function_arns["producer"]
    drain_check_function_arn             = var.function_arns["drain-check"]
    report_function_arn                  = var.function_arns["report"]
    delete_missing_function_arn          = var.function_arns["delete-missing"]
    verify_function_arn                  = var.function_arns["verify"]
    rollback_producer_function_arn       = var.function_arns["rollback-producer"]
    rollback_report_function_arn         = var.function_arns["rollback-report"]
    redrive_function_arn                 = var.function_arns["redrive"]
    migration_flow_arn                   = "${local.state_machine_arn_prefix}migration"
    process_flow_arn                     = "${local.state_machine_arn_prefix}process"
    migrate_flow_arn                     = "${local.state_machine_arn_prefix}migrate"
    update_migrated_assignments_flow_arn = "${local.state_machine_arn_prefix}update-migrated-assignments"
    migrate_documents_flow_arn           = "${local.state_machine_arn_prefix}migrate-documents"
    migrate_planboard_flow_arn           = "${local.state_machine_arn_prefix}migrate-planboard"
    resource_flow_arn                    = "${local.state_machine_arn_prefix}resource"
    generate_report_flow_arn             = "${local.state_machine_arn_prefix}generate-report"
    rollback_subproject_flow_arn         = "${local.state_machine_arn_prefix}rollback-subproject"
    remove_resource_flow_arn             = "${local.state_machine_arn_prefix}remove-resource"
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/vendedlogs/states/${var.name_prefix}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "StepFunctionsAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name_prefix}-states"
  description        = "Role of the migration engine's state machines"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "InvokeEngineFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = sort(values(var.function_arns))
  }

  statement {
    sid       = "StartEngineStateMachines"
    actions   = ["states:StartExecution"]
    resources = [for name in keys(local.state_machines) : "${local.state_machine_arn_prefix}${name}"]
  }

  # `.sync:2` children (<name>:<execution>) and Distributed Map children (<name>/<map run>:<execution>).
  statement {
    sid     = "FollowEngineExecutions"
    actions = ["states:DescribeExecution", "states:StopExecution"]
    resources = flatten([for name in keys(local.state_machines) : [
      "${local.execution_arn_prefix}${name}:*",
      "${local.execution_arn_prefix}${name}/*",
    ]])
  }

  # The managed rule Step Functions uses to learn that a `.sync` child execution finished.
  statement {
    sid       = "SyncExecutionEventsRule"
    actions   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
    resources = ["arn:${local.partition}:events:${local.region}:${local.account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"]
  }

  # CloudWatch Logs vended-log delivery: AWS supports these actions only on "*"
  # (documented exception, allow-listed in tooling/static/terraform.ts).
  statement {
    sid = "LogDelivery"
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }

  # X-Ray has no resource-level permissions (documented exception, allow-listed too).
  dynamic "statement" {
    for_each = var.tracing_enabled ? [1] : []

    content {
      sid       = "XRayWrite"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name_prefix}-states"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_sfn_state_machine" "this" {
  for_each = local.state_machines

  name       = "${var.name_prefix}-${each.key}"
  type       = "STANDARD"
  role_arn   = aws_iam_role.this.arn
  definition = templatefile("${path.module}/../../../statemachines/${each.key}.json", local.template_variables)

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.this.arn}:*"
    level                  = var.log_level
    include_execution_data = var.include_execution_data
  }

  tracing_configuration {
    enabled = var.tracing_enabled
  }

  tags = merge(var.tags, { Flow = each.key, Purpose = each.value })

  depends_on = [aws_iam_role_policy.this]
}
