# One Lambda function per bundle folder (dist/<handler>/index.mjs), each with
# its own log group and its own least-privilege role, plus the consumer's SQS
# event source mappings.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name
  account   = data.aws_caller_identity.current.account_id

  parameter_arn_prefix = "arn:${local.partition}:ssm:${local.region}:${local.account}:parameter${var.parameter_prefix}"
  bucket_arn           = var.bucket_arn
  vpc_enabled          = length(var.subnet_ids) > 0 && length(var.security_group_ids) > 0

  # Decrypting SecureStrings: with the given key, or with the AWS managed aws/ssm key; only through SSM.
  kms_decrypt = {
    sid       = "DecryptParameters"
    actions   = ["kms:Decrypt"]
    resources = var.parameters_kms_key_arn == null ? ["arn:${local.partition}:kms:${local.region}:${local.account}:key/*"] : [var.parameters_kms_key_arn]
    conditions = concat(
      [{ test = "StringEquals", variable = "kms:ViaService", values = ["ssm.${local.region}.amazonaws.com"] }],
      var.parameters_kms_key_arn == null ? [{ test = "ForAnyValue:StringEquals", variable = "kms:ResourceAliases", values = ["alias/aws/ssm"] }] : [],
    )
  }

  # With a customer managed key on the queues and the bucket, SQS and S3 use it as the caller: senders
  # and writers need GenerateDataKey (and Decrypt: a multipart upload reads the data key back),
  # receivers and readers Decrypt; only through those services. The statements each grant brings along.
  key_use = {
    sqs = var.data_kms_key_arn == null ? [] : [{ sid = "QueueKeyUse", actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.data_kms_key_arn], conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["sqs.${local.region}.amazonaws.com"] }] }]
    s3  = var.data_kms_key_arn == null ? [] : [{ sid = "BucketKeyUse", actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.data_kms_key_arn], conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["s3.${local.region}.amazonaws.com"] }] }]
  }
  key_decrypt = {
    sqs = var.data_kms_key_arn == null ? [] : [{ sid = "QueueKeyDecrypt", actions = ["kms:Decrypt"], resources = [var.data_kms_key_arn], conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["sqs.${local.region}.amazonaws.com"] }] }]
    s3  = var.data_kms_key_arn == null ? [] : [{ sid = "BucketKeyDecrypt", actions = ["kms:Decrypt"], resources = [var.data_kms_key_arn], conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["s3.${local.region}.amazonaws.com"] }] }]
  }
  key_grants = {
    queues_send         = local.key_use.sqs
    dead_letter_redrive = local.key_use.sqs
    queues_consume      = local.key_decrypt.sqs
    documents_write     = local.key_use.s3
    payloads_write      = local.key_use.s3
    dead_letters_write  = local.key_use.s3
    reports_write       = local.key_use.s3
    documents_read      = local.key_decrypt.s3
  }

  # What a function may be granted, by name; var.functions lists the grants of each handler.
  grant_statements = {
    ledger_read = [{
      sid       = "LedgerRead"
      actions   = ["dynamodb:GetItem", "dynamodb:BatchGetItem"]
      resources = [var.ledger_table_arn]
    }]
    ledger_write = [{
      sid       = "LedgerWrite"
      actions   = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"]
      resources = [var.ledger_table_arn]
    }]
    ledger_report = [{
      sid       = "LedgerQueryByRun"
      actions   = ["dynamodb:Query"]
      resources = [var.ledger_run_index_arn]
    }]
    ledger_source_ids = [{
      sid       = "LedgerQueryBySourceId"
      actions   = ["dynamodb:Query"]
      resources = [var.ledger_source_index_arn]
    }]
    # A rollback and a verification read one sub-project's entries of a collection: a Query of the collection's partition, never a scan.
    ledger_query = [{
      sid       = "LedgerQueryBySubproject"
      actions   = ["dynamodb:Query"]
      resources = [var.ledger_table_arn]
    }]
    runs_batch = [{
      sid       = "RunsBatch"
      actions   = ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"]
      resources = [var.runs_table_arn]
    }]
    runs_read = [{
      sid       = "RunsRead"
      actions   = ["dynamodb:GetItem"]
      resources = [var.runs_table_arn]
    }]
    # A run's per-range figures and counters, one partition per run: the report and the verification read them whole.
    runs_query = [{
      sid       = "RunsQuery"
      actions   = ["dynamodb:Query"]
      resources = [var.runs_table_arn]
    }]
    runs_write = [{
      sid       = "RunsWrite"
      actions   = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
      resources = [var.runs_table_arn]
    }]
    # One run per customer and per tenant (src/control/run-lock.ts): lock items taken with conditional writes and given back with a conditional delete.
    run_locks = [{
      sid       = "RunLocks"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
      resources = [var.runs_table_arn]
    }]
    # Whether a lock's holder still runs: DescribeExecution of this stage's executions (the state machines are named <name_prefix>-<template>).
    executions_describe = [{
      sid       = "ExecutionsDescribe"
      actions   = ["states:DescribeExecution"]
      resources = ["arn:${local.partition}:states:${local.region}:${local.account}:execution:${var.name_prefix}-*"]
    }]
    # SharedRateLimiter takes a slot with one conditional UpdateItem (it creates the item too).
    rate_limits = [{
      sid       = "RateLimitSlots"
      actions   = ["dynamodb:UpdateItem"]
      resources = [var.rate_limit_table_arn]
    }]
    queues_send = [{
      sid       = "QueuesSend"
      actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
      resources = values(var.queue_arns)
    }]
    queues_consume = [{
      sid       = "QueuesConsume"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]
      resources = values(var.queue_arns)
    }]
    queues_depth = [{
      sid       = "QueuesDepth"
      actions   = ["sqs:GetQueueAttributes"]
      resources = values(var.queue_arns)
    }]
    dead_letter_redrive = [
      {
        sid       = "DeadLetterQueuesDrain"
        actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]
        resources = values(var.dead_letter_queue_arns)
      },
      {
        sid       = "QueuesRefill"
        actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
        resources = values(var.queue_arns)
      },
    ]
    documents_write = [{
      sid       = "DocumentClaimChecksWrite"
      actions   = ["s3:PutObject"]
      resources = ["${local.bucket_arn}/documents/*"]
    }]
    documents_read = [{
      sid       = "DocumentClaimChecksRead"
      actions   = ["s3:GetObject"]
      resources = ["${local.bucket_arn}/documents/*"]
    }]
    payloads_write = [{
      sid       = "FailedPayloadsWrite"
      actions   = ["s3:PutObject"]
      resources = ["${local.bucket_arn}/payloads/*"]
    }]
    # The consumer's copy of a message that failed on its last delivery (SQS keeps dead letters 14 days at most).
    dead_letters_write = [{
      sid       = "DeadLettersWrite"
      actions   = ["s3:PutObject"]
      resources = ["${local.bucket_arn}/dead-letters/*"]
    }]
    reports_write = [{
      sid       = "ReportsWrite"
      # A large report.json goes up in parts (lib-storage), which abort on failure.
      actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
      resources = ["${local.bucket_arn}/reports/*"]
    }]
    profiles_read = [{
      sid       = "CustomerProfilesRead"
      actions   = ["ssm:GetParameter"]
      resources = ["${local.parameter_arn_prefix}/customers/*/profile"]
    }]
    target_access = [
      {
        sid       = "TargetAccessRead"
        actions   = ["ssm:GetParameter"]
        resources = ["${local.parameter_arn_prefix}/fiberconnect-url", "${local.parameter_arn_prefix}/customers/*/fiberconnect-token"]
      },
      local.kms_decrypt,
    ]
    legacy_db = [
      {
        sid       = "LegacyDbUrlRead"
        actions   = ["ssm:GetParameter"]
        resources = ["${local.parameter_arn_prefix}/legacy-db-url"]
      },
      local.kms_decrypt,
    ]
  }

  # The kms statement appears under two grants: keep one per function. A for expression may not
  # produce a key twice (Terraform fails the plan), so the statements are grouped by sid (`...`)
  # and the first of each group kept.
  function_statements = {
    for handler, settings in var.functions : handler => [
      for sid, same in {
        for statement in flatten([for grant in distinct(settings.grants) : concat(local.grant_statements[grant], try(local.key_grants[grant], []))]) : statement.sid => statement...
      } : same[0]
    ]
  }

  # POWERTOOLS_METRICS_NAMESPACE: the engine's metrics (src/handler/metrics.ts) are EMF lines on stdout, which CloudWatch Logs
  # turns into metrics; writing them calls no AWS API and needs no grant.
  environment = merge(var.extra_environment, {
    LEDGER_TABLE                 = var.ledger_table_name
    RUNS_TABLE                   = var.runs_table_name
    RATE_LIMIT_TABLE             = var.rate_limit_table_name
    BUCKET                       = var.bucket_name
    QUEUE_URLS                   = jsonencode(var.queue_urls)
    DEAD_LETTER_QUEUE_URLS       = jsonencode(var.dead_letter_queue_urls)
    MAX_RECEIVE_COUNT            = tostring(var.max_receive_count)
    RETENTION_DAYS               = tostring(var.retention_days)
    PARAMETER_PREFIX             = var.parameter_prefix
    POWERTOOLS_LOG_LEVEL         = var.log_level
    POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
    NODE_OPTIONS                 = "--enable-source-maps"
  })
}

data "archive_file" "this" {
  for_each = var.functions

  type        = "zip"
  source_dir  = "${var.dist_dir}/${each.key}"
  output_path = "${var.build_dir}/${var.name_prefix}-${each.key}.zip"
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = var.functions

  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = merge(var.tags, { Handler = each.key })
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "LambdaAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = var.functions

  name               = "${var.name_prefix}-${each.key}"
  description        = "Execution role of the ${each.key} Lambda: only what that handler touches"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = merge(var.tags, { Handler = each.key })
}

data "aws_iam_policy_document" "this" {
  for_each = var.functions

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  dynamic "statement" {
    for_each = local.function_statements[each.key]

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = try(statement.value.conditions, [])

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = var.functions

  name   = "${var.name_prefix}-${each.key}"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.this[each.key].json
}

# ENI permissions for a function in a VPC (the legacy database), only when subnets are given:
# the equivalent of AWSLambdaVPCAccessExecutionRole, narrowed to this account and region.
data "aws_iam_policy_document" "vpc" {
  count = local.vpc_enabled ? 1 : 0

  statement {
    sid     = "ManageOwnNetworkInterfaces"
    actions = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
    resources = concat(
      ["arn:${local.partition}:ec2:${local.region}:${local.account}:network-interface/*"],
      [for id in var.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account}:subnet/${id}"],
      [for id in var.security_group_ids : "arn:${local.partition}:ec2:${local.region}:${local.account}:security-group/${id}"],
    )
  }

  statement {
    sid       = "DescribeNetwork"
    actions   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "vpc" {
  for_each = local.vpc_enabled ? var.functions : {}

  name   = "${var.name_prefix}-${each.key}-vpc"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.vpc[0].json
}

resource "aws_lambda_function" "this" {
  for_each = var.functions

  function_name                  = "${var.name_prefix}-${each.key}"
  description                    = "FiberPlan migration: ${each.key}"
  role                           = aws_iam_role.this[each.key].arn
  runtime                        = "nodejs22.x"
  architectures                  = ["arm64"]
  handler                        = "index.handler"
  filename                       = data.archive_file.this[each.key].output_path
  source_code_hash               = data.archive_file.this[each.key].output_base64sha256
  timeout                        = each.value.timeout
  memory_size                    = each.value.memory_size
  reserved_concurrent_executions = each.value.reserved_concurrent_executions

  environment {
    variables = merge(local.environment, { POWERTOOLS_SERVICE_NAME = each.key })
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this[each.key].name
  }

  tracing_config {
    mode = var.tracing_enabled ? "Active" : "PassThrough"
  }

  dynamic "vpc_config" {
    for_each = local.vpc_enabled ? [1] : []

    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  tags = merge(var.tags, { Handler = each.key })

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy.vpc, aws_cloudwatch_log_group.this]
}

# X-Ray segments, only when tracing is on (the X-Ray API has no resource-level permissions).
data "aws_iam_policy_document" "tracing" {
  count = var.tracing_enabled ? 1 : 0

  statement {
    sid       = "XRayWrite"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "tracing" {
  for_each = var.tracing_enabled ? var.functions : {}

  name   = "${var.name_prefix}-${each.key}-tracing"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.tracing[0].json
}

# The consumer reads every collection's queue, with partial batch failure reporting
# and a cap on concurrent instances (which also caps the load on the target).
resource "aws_lambda_event_source_mapping" "consumer" {
  for_each = contains(keys(var.functions), "consumer") ? var.queue_arns : {}

  event_source_arn        = each.value
  function_name           = aws_lambda_function.this["consumer"].arn
  batch_size              = var.consumer_batch_size
  function_response_types = ["ReportBatchItemFailures"]
  enabled                 = true

  scaling_config {
    maximum_concurrency = var.consumer_maximum_concurrency
  }

  tags = merge(var.tags, { Collection = each.key })
}
