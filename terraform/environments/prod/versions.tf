terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
  }

  # State holds the SecureString values Terraform writes: keep it in an encrypted,
  # access-controlled backend, e.g. (fill in and run `terraform init -migrate-state`):
  # backend "s3" {
  #   bucket       = "<state bucket>"
  #   key          = "fiberplan-migration/prod/terraform.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}
