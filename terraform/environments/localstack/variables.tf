variable "localstack_endpoint" {
  description = "LocalStack's edge endpoint, used for every AWS service (http://host:port)."
  type        = string
  default     = "http://localhost:4566"

  validation {
    condition     = can(regex("^https?://", var.localstack_endpoint))
    error_message = "localstack_endpoint must be an http(s) URL."
  }
}

variable "region" {
  description = "Region LocalStack pretends to be (the project's region, eu-west-1)."
  type        = string
  default     = "eu-west-1"
}

variable "fiberconnect_url" {
  description = "FiberConnect as the Lambda containers reach it: the stand-in (`make target-api`, port 4010) on the Docker host."
  type        = string
  default     = "http://host.docker.internal:4010"
}

variable "fiberconnect_tokens" {
  description = "Token per customer of the stand-in (its default demo token; not a secret)."
  type        = map(string)
  default     = { demo = "demo-token" }
  sensitive   = true
  ephemeral   = true
}

variable "legacy_db_url" {
  description = "The compose MySQL as the Lambda containers reach it on the fiberplan-migration network (no password; not a secret)."
  type        = string
  default     = "mysql://root@mysql:3306"
  sensitive   = true
  ephemeral   = true
}
