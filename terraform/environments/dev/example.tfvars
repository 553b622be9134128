# Example settings of the dev stage: copy, adjust, and pass with -var-file.
# No secrets here. Pass them through the environment:
#   export TF_VAR_fiberconnect_tokens='{"acme":"<token>"}'
#   export TF_VAR_legacy_db_url='mysql://<user>:<password>@<host>:3306'
# or put them in a git-ignored secrets.auto.tfvars next to this file.

region               = "eu-west-1"
fiberconnect_url     = "https://api.dev.fiberconnect.example"
subnet_ids           = []
security_group_ids   = []
alarm_sns_topic_arn  = null
bucket_force_destroy = true
