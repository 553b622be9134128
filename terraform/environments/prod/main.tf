# The prod stage of the migration engine: the root module (terraform/) with
# prod's settings. Secrets come from TF_VAR_fiberconnect_tokens and
# TF_VAR_legacy_db_url (or a git-ignored secrets.auto.tfvars), never from this folder.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "fiberplan-migration"
      Stage     = "prod"
      ManagedBy = "terraform"
    }
  }
}

module "migration" {
  source = "../.."

  stage                        = "prod"
  fiberconnect_url             = var.fiberconnect_url
  fiberconnect_tokens          = var.fiberconnect_tokens
  legacy_db_url                = var.legacy_db_url
  subnet_ids                   = var.subnet_ids
  security_group_ids           = var.security_group_ids
  consumer_maximum_concurrency = var.consumer_maximum_concurrency
  alarm_sns_topic_arn          = var.alarm_sns_topic_arn
  log_level                    = "INFO"
  log_retention_days           = 90
  state_machine_log_level      = "ERROR"
  point_in_time_recovery       = true
  deletion_protection          = true
  bucket_force_destroy         = var.bucket_force_destroy
}
