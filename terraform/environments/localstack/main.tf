# The same stack on LocalStack (docker-compose.localstack.yml), where Docker
# exists: every service endpoint points at var.localstack_endpoint. Nothing
# here is secret: LocalStack's test credentials, the compose MySQL and the
# local FiberConnect stand-in.

provider "aws" {
  region                      = var.region
  access_key                  = "test"
  secret_key                  = "test"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    cloudwatch    = var.localstack_endpoint
    dynamodb      = var.localstack_endpoint
    events        = var.localstack_endpoint
    iam           = var.localstack_endpoint
    kms           = var.localstack_endpoint
    lambda        = var.localstack_endpoint
    logs          = var.localstack_endpoint
    s3            = var.localstack_endpoint
    sns           = var.localstack_endpoint
    sqs           = var.localstack_endpoint
    ssm           = var.localstack_endpoint
    stepfunctions = var.localstack_endpoint
    sts           = var.localstack_endpoint
  }
}

module "migration" {
  source = "../.."

  stage                   = "localstack"
  fiberconnect_url        = var.fiberconnect_url
  token_customers         = ["demo"]
  fiberconnect_tokens     = var.fiberconnect_tokens
  legacy_db_url           = var.legacy_db_url
  log_level               = "DEBUG"
  log_retention_days      = 1
  state_machine_log_level = "ALL"
  include_execution_data  = true
  point_in_time_recovery  = false
  bucket_force_destroy    = true
}
