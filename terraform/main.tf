# The migration engine's whole stack for one stage. Names follow the local
# runtime (tooling/local/runtime.ts): <name_prefix>-<thing>, with
# name_prefix = fiberplan-migration-<stage> and Parameter Store under
# /fiberplan-migration/<stage>. The providers are configured by the caller
# (terraform/environments/<stage>).

data "aws_region" "current" {}

locals {
  name_prefix      = "fiberplan-migration-${var.stage}"
  parameter_prefix = "/fiberplan-migration/${var.stage}"
  dist_dir         = coalesce(var.dist_dir, "${path.module}/../dist")
  profiles_file    = coalesce(var.profiles_file, "${local.dist_dir}/profiles.json")

  tags = merge(var.tags, { Project = "fiberplan-migration", Stage = var.stage })

  # The namespace of the engine's own metrics (src/handler/metrics.ts); the local runtime's is fiberplan-migration-local.
  metrics_namespace = local.name_prefix

  # src/domain/constants.ts COLLECTIONS: one FIFO queue and one dead-letter queue each.
  collections = ["projects", "contractors", "connections", "work-orders", "work-order-updates", "documents", "planboard-slots"]

  # Timeout and memory of each handler: functions/settings.json, which the local runtime reads too (tooling/local/runtime.ts).
  function_settings = jsondecode(file("${path.module}/../functions/settings.json")).functions

  # One Lambda per functions/<handler> folder: what each may touch (grants of modules/functions) and, for the consumer,
  # its reserved concurrency; its timeout and memory come from local.function_settings.
  function_access = {
    # The CLI's legacy pre-check on a stage (make migrate STAGE=x): it reads the registry from inside the stage's network.
    "precheck" = {
      grants = ["legacy_db"]
    }
    # Also takes the run's locks: a stale one is told from a live one by its execution's status.
    "configure" = {
      grants = ["profiles_read", "legacy_db", "runs_read", "runs_write", "run_locks", "executions_describe"]
    }
    "save-workflows" = {
      grants = ["profiles_read", "target_access", "rate_limits", "runs_read", "runs_write"]
    }
    "deactivate-workflows" = {
      grants = ["target_access", "rate_limits"]
    }
    "restore-workflows" = {
      grants = ["profiles_read", "target_access", "rate_limits", "runs_read", "runs_write"]
    }
    "email-off" = {
      grants = ["profiles_read", "target_access", "rate_limits", "runs_read", "runs_write"]
    }
    "email-restore" = {
      grants = ["profiles_read", "target_access", "rate_limits", "runs_read", "runs_write"]
    }
    "jobs-check" = {
      grants = ["target_access", "rate_limits"]
    }
    # runs_read: back-pressure reads the collection's outcome counters before it holds a page back (Producer.holdBack).
    "producer" = {
      grants = ["legacy_db", "ledger_read", "ledger_write", "ledger_source_ids", "runs_read", "runs_write", "rate_limits", "queues_send", "documents_write"]
    }
    # Also the removal consumer of a rollback: its removals travel through the same collection queues.
    "consumer" = {
      reserved_concurrent_executions = coalesce(var.consumer_reserved_concurrency, -1)
      grants                         = ["profiles_read", "target_access", "ledger_read", "ledger_write", "runs_read", "runs_write", "rate_limits", "queues_consume", "documents_read", "payloads_write", "dead_letters_write"]
    }
    # A rollback's producer: the migrated ledger entries of one sub-project, queued for removal.
    "rollback-producer" = {
      grants = ["ledger_query", "ledger_write", "runs_write", "queues_send"]
    }
    "drain-check" = {
      grants = ["queues_depth", "runs_read"]
    }
    # Closing a run gives its locks back.
    "report" = {
      grants = ["profiles_read", "ledger_report", "runs_read", "runs_query", "runs_write", "run_locks", "reports_write"]
    }
    # Closes a rollback run (giving its locks back) and writes rollback.json and rollback.html.
    "rollback-report" = {
      grants = ["profiles_read", "ledger_report", "runs_read", "runs_query", "runs_write", "run_locks", "reports_write"]
    }
    # One step of a redrive run (statemachines/redrive.json): the customer's dead letters back, counted on the redrive run's progress.
    "redrive" = {
      grants = ["dead_letter_redrive", "runs_write"]
    }
    # DELETE_MISSING: deletes from FiberConnect what a run found gone from FiberPlan (the run's ledger entries, by the by-run index),
    # after its guard weighed them against the rows the run read (the run's progress items: runs_query).
    # runs_read: it reads the run first (MissingRemover.remove).
    "delete-missing" = {
      grants = ["target_access", "rate_limits", "ledger_report", "ledger_write", "runs_read", "runs_query"]
    }
    # make verify: reads the target, the source and the ledger; writes only its own run's items and verify.json/html.
    "verify" = {
      grants = ["profiles_read", "legacy_db", "target_access", "rate_limits", "ledger_read", "ledger_query", "runs_read", "runs_query", "runs_write", "runs_batch", "reports_write"]
    }
  }

  functions = {
    for handler, access in local.function_access : handler => merge(access, {
      timeout     = local.function_settings[handler].timeoutSeconds
      memory_size = local.function_settings[handler].memorySizeMb
    })
  }

  # dist/profiles.json (make build): customer => resolved profile.
  resolved_profiles = { for customer, profile in jsondecode(file(local.profiles_file)) : customer => jsonencode(profile) }
}

module "queues" {
  source = "./modules/queues"

  name_prefix                           = local.name_prefix
  collections                           = local.collections
  max_receive_count                     = var.max_receive_count
  consumer_timeout_seconds              = local.functions["consumer"].timeout
  visibility_timeout_seconds            = var.queue_visibility_timeout_seconds
  message_retention_seconds             = var.queue_message_retention_seconds
  dead_letter_message_retention_seconds = var.dead_letter_message_retention_seconds
  kms_key_arn                           = var.kms_key_arn
  tags                                  = local.tags
}

module "ledger" {
  source = "./modules/ledger"

  name_prefix            = local.name_prefix
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = local.tags
}

module "storage" {
  source = "./modules/storage"

  name_prefix                        = local.name_prefix
  bucket_name                        = var.bucket_name
  kms_key_arn                        = var.kms_key_arn
  versioning_enabled                 = var.bucket_versioning_enabled
  document_expiration_days           = var.document_expiration_days
  retention_days                     = var.retention_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  force_destroy                      = var.bucket_force_destroy
  tags                               = local.tags
}

module "functions" {
  source = "./modules/functions"

  name_prefix                  = local.name_prefix
  functions                    = local.functions
  dist_dir                     = local.dist_dir
  build_dir                    = "${path.root}/.terraform/build"
  ledger_table_name            = module.ledger.ledger_table_name
  ledger_table_arn             = module.ledger.ledger_table_arn
  ledger_run_index_arn         = module.ledger.ledger_run_index_arn
  ledger_source_index_arn      = module.ledger.ledger_source_index_arn
  runs_table_name              = module.ledger.runs_table_name
  runs_table_arn               = module.ledger.runs_table_arn
  rate_limit_table_name        = module.ledger.rate_limit_table_name
  rate_limit_table_arn         = module.ledger.rate_limit_table_arn
  bucket_name                  = module.storage.bucket_name
  bucket_arn                   = module.storage.bucket_arn
  queue_urls                   = module.queues.queue_urls
  queue_arns                   = module.queues.queue_arns
  dead_letter_queue_urls       = module.queues.dead_letter_queue_urls
  dead_letter_queue_arns       = module.queues.dead_letter_queue_arns
  max_receive_count            = module.queues.max_receive_count
  parameter_prefix             = local.parameter_prefix
  parameters_kms_key_arn       = var.kms_key_arn
  data_kms_key_arn             = var.kms_key_arn
  log_kms_key_arn              = var.kms_key_arn
  log_level                    = var.log_level
  metrics_namespace            = local.metrics_namespace
  log_retention_days           = var.log_retention_days
  tracing_enabled              = var.tracing_enabled
  subnet_ids                   = var.subnet_ids
  security_group_ids           = var.security_group_ids
  consumer_batch_size          = var.consumer_batch_size
  consumer_maximum_concurrency = var.consumer_maximum_concurrency
  retention_days               = var.retention_days
  tags                         = local.tags
}

module "statemachines" {
  source = "./modules/statemachines"

  name_prefix            = local.name_prefix
  function_arns          = module.functions.function_arns
  log_level              = var.state_machine_log_level
  include_execution_data = var.include_execution_data
  log_retention_days     = var.log_retention_days
  log_kms_key_arn        = var.kms_key_arn
  tracing_enabled        = var.tracing_enabled
  tags                   = local.tags
}

module "parameters" {
  source = "./modules/parameters"

  parameter_prefix     = local.parameter_prefix
  resolved_profiles    = local.resolved_profiles
  token_customers      = var.token_customers
  fiberconnect_tokens  = var.fiberconnect_tokens
  fiberconnect_url     = var.fiberconnect_url
  manage_legacy_db_url = var.manage_legacy_db_url
  legacy_db_url        = var.legacy_db_url
  secrets_version      = var.secrets_version
  kms_key_id           = var.kms_key_arn
  tags                 = local.tags

  stack = {
    stateMachineArn         = module.statemachines.migration_state_machine_arn
    verifyStateMachineArn   = module.statemachines.state_machine_arns["verify"]
    rollbackStateMachineArn = module.statemachines.rollback_state_machine_arn
    redriveStateMachineArn  = module.statemachines.redrive_state_machine_arn
    runsTable               = module.ledger.runs_table_name
    ledgerTable             = module.ledger.ledger_table_name
    bucket                  = module.storage.bucket_name
    region                  = data.aws_region.current.name
    precheckFunctionName    = module.functions.function_names["precheck"]
    consumerTimeoutSeconds  = local.functions["consumer"].timeout
    queueUrls               = module.queues.queue_urls
    deadLetterQueueUrls     = module.queues.dead_letter_queue_urls
  }
}

module "alarms" {
  source = "./modules/alarms"

  name_prefix                 = local.name_prefix
  dead_letter_queue_names     = module.queues.dead_letter_queue_names
  migration_state_machine_arn = module.statemachines.migration_state_machine_arn
  consumer_function_name      = module.functions.function_names["consumer"]
  consumer_errors_threshold   = var.consumer_errors_threshold
  period_seconds              = var.alarm_period_seconds
  sns_topic_arn               = var.alarm_sns_topic_arn
  email_addresses             = var.alarm_email_addresses
  kms_key_arn                 = var.kms_key_arn
  tags                        = local.tags
}

module "dashboard" {
  source = "./modules/dashboard"

  dashboard_name          = local.name_prefix
  metrics_namespace       = local.metrics_namespace
  queue_names             = module.queues.queue_names
  dead_letter_queue_names = module.queues.dead_letter_queue_names
  function_names          = module.functions.function_names
  state_machine_arns      = module.statemachines.state_machine_arns
  alarm_arns              = values(module.alarms.alarm_arns)
  period_seconds          = var.dashboard_period_seconds
}
