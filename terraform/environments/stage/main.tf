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

  stage                        = var.stage
  fiberconnect_url             = var.fiberconnect_url
  fiberconnect_tokens          = var.fiberconnect_tokens
  legacy_db_url                = var.legacy_db_url
  subnet_ids                   = var.subnet_ids
  security_group_ids           = var.security_group_ids
  consumer_maximum_concurrency = var.consumer_maximum_concurrency
  alarm_sns_topic_arn          = var.alarm_sns_topic_arn
  log_level                    = var.log_level
  log_retention_days           = var.log_retention_days
  retention_days               = var.retention_days
  state_machine_log_level      = var.state_machine_log_level
  point_in_time_recovery       = true
  deletion_protection          = var.deletion_protection
  bucket_force_destroy         = var.bucket_force_destroy
}
