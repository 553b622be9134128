output "queue_urls" {
  description = "URL of each collection's FIFO work queue (collection => URL): the handlers' QUEUE_URLS."
  value       = { for collection, queue in aws_sqs_queue.this : collection => queue.url }
}

output "queue_arns" {
  description = "ARN of each collection's FIFO work queue (collection => ARN)."
  value       = { for collection, queue in aws_sqs_queue.this : collection => queue.arn }
}

output "queue_names" {
  description = "Name of each collection's FIFO work queue (collection => name)."
  value       = { for collection, queue in aws_sqs_queue.this : collection => queue.name }
}

output "dead_letter_queue_urls" {
  description = "URL of each collection's dead-letter queue (collection => URL): the handlers' DEAD_LETTER_QUEUE_URLS."
  value       = { for collection, queue in aws_sqs_queue.dead_letter : collection => queue.url }
}

output "dead_letter_queue_arns" {
  description = "ARN of each collection's dead-letter queue (collection => ARN)."
  value       = { for collection, queue in aws_sqs_queue.dead_letter : collection => queue.arn }
}

output "dead_letter_queue_names" {
  description = "Name of each collection's dead-letter queue (collection => name), for the DLQ alarms."
  value       = { for collection, queue in aws_sqs_queue.dead_letter : collection => queue.name }
}

output "max_receive_count" {
  description = "Deliveries before a message is dead-lettered, as configured on every work queue."
  value       = var.max_receive_count
}
