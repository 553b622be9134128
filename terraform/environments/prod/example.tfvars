# Example settings of the prod stage: copy, adjust, and pass with -var-file.
# No secrets here. Pass them through the environment:
#   export TF_VAR_fiberconnect_tokens='{"acme":"<token>"}'
#   export TF_VAR_legacy_db_url='mysql://<user>:<password>@<host>:3306'
# or put them in a git-ignored secrets.auto.tfvars next to this file.

region                       = "eu-west-1"
fiberconnect_url             = "https://api.fiberconnect.example"
subnet_ids                   = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
security_group_ids           = ["sg-0123456789abcdef0"]
consumer_maximum_concurrency = 8
alarm_sns_topic_arn          = "arn:aws:sns:eu-west-1:123456789012:fiberplan-migration-alarms"
bucket_force_destroy         = false
