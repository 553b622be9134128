# One stage of the migration engine on AWS: the root module (terraform/) with
# the settings of the stage named in <stage>.tfvars, its state in the backend of
# <stage>.s3.tfbackend (one state per stage). dev and prod are the same
# definition; only those two files differ. Secrets come from
# TF_VAR_fiberconnect_tokens and TF_VAR_legacy_db_url (or a git-ignored
# <stage>.secret.tfvars passed with a second -var-file), never from this folder.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "fiberplan-migration"
      Stage     = var.stage
      ManagedBy = "terraform"
    }
  }
}

module "migration" {
  source = "../.."

  stage                                 = var.stage
  fiberconnect_url                      = var.fiberconnect_url
  token_customers                       = var.token_customers
  fiberconnect_tokens                   = var.fiberconnect_tokens
  manage_legacy_db_url                  = var.manage_legacy_db_url
  legacy_db_url                         = var.legacy_db_url
  secrets_version                       = var.secrets_version
  max_receive_count                     = var.max_receive_count
  queue_visibility_timeout_seconds      = var.queue_visibility_timeout_seconds
  consumer_batch_size                   = var.consumer_batch_size
  consumer_maximum_concurrency          = var.consumer_maximum_concurrency
  log_level                             = var.log_level
  log_retention_days                    = var.log_retention_days
  state_machine_log_level               = var.state_machine_log_level
  include_execution_data                = var.include_execution_data
  tracing_enabled                       = var.tracing_enabled
  subnet_ids                            = var.subnet_ids
  security_group_ids                    = var.security_group_ids
  kms_key_arn                           = var.kms_key_arn
  point_in_time_recovery                = var.point_in_time_recovery
  deletion_protection                   = var.deletion_protection
  bucket_name                           = var.bucket_name
  bucket_versioning_enabled             = var.bucket_versioning_enabled
  bucket_force_destroy                  = var.bucket_force_destroy
  document_expiration_days              = var.document_expiration_days
  retention_days                        = var.retention_days
  queue_message_retention_seconds       = var.queue_message_retention_seconds
  dead_letter_message_retention_seconds = var.dead_letter_message_retention_seconds
  consumer_reserved_concurrency         = var.consumer_reserved_concurrency
  noncurrent_version_expiration_days    = var.noncurrent_version_expiration_days
  alarm_period_seconds                  = var.alarm_period_seconds
  consumer_errors_threshold             = var.consumer_errors_threshold
  alarm_sns_topic_arn                   = var.alarm_sns_topic_arn
  alarm_email_addresses                 = var.alarm_email_addresses
  dashboard_period_seconds              = var.dashboard_period_seconds
  tags                                  = var.tags
}
