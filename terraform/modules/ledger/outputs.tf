output "ledger_table_name" {
  description = "Name of the ledger table (the handlers' LEDGER_TABLE)."
  value       = aws_dynamodb_table.ledger.name
}

output "ledger_table_arn" {
  description = "ARN of the ledger table."
  value       = aws_dynamodb_table.ledger.arn
}

output "ledger_run_index_arn" {
  description = "ARN of the ledger's by-run index (what the report queries)."
  value       = "${aws_dynamodb_table.ledger.arn}/index/by-run"
}

output "runs_table_name" {
  description = "Name of the runs table (the handlers' RUNS_TABLE)."
  value       = aws_dynamodb_table.runs.name
}

output "runs_table_arn" {
  description = "ARN of the runs table."
  value       = aws_dynamodb_table.runs.arn
}

output "rate_limit_table_name" {
  description = "Name of the rate-limit table (the handlers' RATE_LIMIT_TABLE)."
  value       = aws_dynamodb_table.rate_limits.name
}

output "rate_limit_table_arn" {
  description = "ARN of the rate-limit table."
  value       = aws_dynamodb_table.rate_limits.arn
}

output "ledger_source_index_arn" {
  description = "ARN of the ledger's by-source-id index (what a delta's producer queries for rows gone from FiberPlan)."
  value       = "${aws_dynamodb_table.ledger.arn}/index/by-source-id"
}
