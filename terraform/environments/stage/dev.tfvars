# The dev stage. Pair it with its backend:
#   terraform init -reconfigure -backend-config=dev.s3.tfbackend
#   terraform apply -var-file=dev.tfvars
# (or `make tf-apply STAGE=dev`, which does both). No secrets here: pass them with
#   export TF_VAR_fiberconnect_tokens='{"acme":"<token>"}'
#   export TF_VAR_legacy_db_url='mysql://<user>:<password>@<host>:3306'
# or a git-ignored dev.secret.tfvars given as a second -var-file.

stage                        = "dev"
region                       = "eu-west-1"
token_customers              = ["acme"]
fiberconnect_url             = "https://api.dev.fiberconnect.example"
subnet_ids                   = []
security_group_ids           = []
consumer_maximum_concurrency = 16
alarm_sns_topic_arn          = null
alarm_email_addresses        = []
log_retention_days           = 14
state_machine_log_level      = "ALL"
deletion_protection          = false
bucket_force_destroy         = true
