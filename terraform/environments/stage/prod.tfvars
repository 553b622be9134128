# The prod stage. Pair it with its backend:
#   terraform init -reconfigure -backend-config=prod.s3.tfbackend
#   terraform apply -var-file=prod.tfvars
# (or `make tf-apply STAGE=prod`, which does both). No secrets here: pass them with
#   export TF_VAR_fiberconnect_tokens='{"acme":"<token>"}'
#   export TF_VAR_legacy_db_url='mysql://<user>:<password>@<host>:3306'
# or a git-ignored prod.secret.tfvars given as a second -var-file.

stage                        = "prod"
region                       = "eu-west-1"
token_customers              = ["acme"]
fiberconnect_url             = "https://api.fiberconnect.example"
subnet_ids                   = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
security_group_ids           = ["sg-0123456789abcdef0"]
consumer_maximum_concurrency = 16
alarm_sns_topic_arn          = null
alarm_email_addresses        = ["migration-ops@example.com"]
log_retention_days           = 90
state_machine_log_level      = "ERROR"
deletion_protection          = true
bucket_force_destroy         = false
