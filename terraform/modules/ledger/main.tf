# The engine's DynamoDB tables. Keys and the by-run and by-source-id indexes must equal
# src/ledger/tables.ts TABLE_KEYS (the local runtime creates the same tables
# from it); the static checks in tooling/static/terraform.ts compare the two.

resource "aws_dynamodb_table" "ledger" {
  name                        = "${var.name_prefix}-ledger"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "externalRef"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "externalRef"
    type = "S"
  }

  attribute {
    name = "runCollection"
    type = "S"
  }

  attribute {
    name = "sourceOrder"
    type = "S"
  }

  global_secondary_index {
    name            = "by-run"
    hash_key        = "runCollection"
    range_key       = "externalRef"
    projection_type = "ALL"
  }

  # A collection's entries by sub-project and zero-padded numeric source id: a
  # producer page finds the entries of its id range whose row is gone (deletedInSource).
  global_secondary_index {
    name            = "by-source-id"
    hash_key        = "pk"
    range_key       = "sourceOrder"
    projection_type = "ALL"
  }

  # A dry run's entries carry expiresAt (epoch seconds, RETENTION_DAYS after their write): DynamoDB deletes them after it.
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = merge(var.tags, { Table = "ledger" })
}

resource "aws_dynamodb_table" "runs" {
  name                        = "${var.name_prefix}-runs"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = merge(var.tags, { Table = "runs" })
}

resource "aws_dynamodb_table" "rate_limits" {
  name                        = "${var.name_prefix}-rate-limits"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = merge(var.tags, { Table = "rate-limits" })
}
