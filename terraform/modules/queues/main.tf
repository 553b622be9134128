# One SQS FIFO queue per collection, each with its own FIFO dead-letter queue.
# The producer sets MessageGroupId and MessageDeduplicationId itself, so
# content-based deduplication stays off. Encrypted with SQS-managed keys, or
# with kms_key_arn when one is given.

resource "aws_sqs_queue" "dead_letter" {
  for_each = toset(var.collections)

  name                        = "${var.name_prefix}-${each.key}-dlq.fifo"
  fifo_queue                  = true
  content_based_deduplication = false
  sqs_managed_sse_enabled     = var.kms_key_arn == null ? true : null
  kms_master_key_id           = var.kms_key_arn
  max_message_size            = var.max_message_size
  message_retention_seconds   = var.dead_letter_message_retention_seconds

  tags = merge(var.tags, { Collection = each.key, Role = "dead-letter" })
}

resource "aws_sqs_queue" "this" {
  for_each = toset(var.collections)

  name                        = "${var.name_prefix}-${each.key}.fifo"
  fifo_queue                  = true
  content_based_deduplication = false
  sqs_managed_sse_enabled     = var.kms_key_arn == null ? true : null
  kms_master_key_id           = var.kms_key_arn
  max_message_size            = var.max_message_size
  message_retention_seconds   = var.message_retention_seconds
  visibility_timeout_seconds  = var.visibility_timeout_seconds
  receive_wait_time_seconds   = var.receive_wait_time_seconds

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[each.key].arn
    maxReceiveCount     = var.max_receive_count
  })

  tags = merge(var.tags, { Collection = each.key, Role = "work" })

  lifecycle {
    precondition {
      condition     = var.visibility_timeout_seconds >= 6 * var.consumer_timeout_seconds
      error_message = "visibility_timeout_seconds must be at least 6 x consumer_timeout_seconds (AWS's rule for an SQS event source: a throttled invoke is retried while the message stays invisible)."
    }
    precondition {
      condition     = var.message_retention_seconds <= var.dead_letter_message_retention_seconds
      error_message = "dead_letter_message_retention_seconds must not be shorter than message_retention_seconds: SQS keeps a message's original enqueue time when it dead-letters it."
    }
  }
}

# Only the collection's own queue may dead-letter into its DLQ (and redrive from it).
resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  for_each = toset(var.collections)

  queue_url = aws_sqs_queue.dead_letter[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this[each.key].arn]
  })
}
