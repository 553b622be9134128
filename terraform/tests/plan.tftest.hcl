# `terraform test` (run from terraform/ after `make build`): plans the whole root
# module with the real AWS provider but no AWS account. The account id is
# overridden and the state machines are not sent to ValidateStateMachineDefinition
# (the static checks validate the rendered templates with asl-validator instead).

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  skip_region_validation      = true
}

override_data {
  target = module.storage.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.functions.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.statemachines.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = module.alarms.data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_resource {
  target = module.statemachines.aws_sfn_state_machine.this
  values = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:fiberplan-migration-test-migration" }
}

variables {
  stage               = "test"
  profiles_file       = "tests/profiles.fixture.json"
  fiberconnect_url    = "https://api.fiberconnect.example"
  token_customers     = ["demo"]
  fiberconnect_tokens = { demo = "not-a-real-token" }
  legacy_db_url       = "mysql://user:not-a-password@db.example:3306"
}

run "default_stack" {
  command = plan

  assert {
    condition     = length(module.functions.function_names) == 17
    error_message = "Expected one Lambda per functions/ folder (17)."
  }

  assert {
    condition     = module.parameters.stack_parameter_name == "/fiberplan-migration/test/stack"
    error_message = "The stack parameter must be <parameter prefix>/stack."
  }

  assert {
    condition     = module.functions.function_names["consumer"] == "fiberplan-migration-test-consumer"
    error_message = "Function names must be <name_prefix>-<handler>."
  }
}

run "vpc_tracing_and_kms" {
  command = plan

  variables {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
    tracing_enabled    = true
    kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

run "visibility_below_consumer_timeout_is_refused" {
  command = plan

  variables {
    queue_visibility_timeout_seconds = 60
  }

  expect_failures = [var.queue_visibility_timeout_seconds]
}
