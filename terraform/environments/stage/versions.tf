terraform {
  required_version = ">= 1.11"

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

  # State holds the SecureString values Terraform writes: an encrypted, access-controlled
  # S3 backend, one state object per stage. The settings are per stage, in
  # <stage>.s3.tfbackend: `terraform init -reconfigure -backend-config=<stage>.s3.tfbackend`.
  backend "s3" {}
}
