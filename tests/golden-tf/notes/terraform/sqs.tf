resource "aws_sqs_queue" "note_changed_notes" {
  name                      = "notes-dev-note_changed-notes-failed"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true

  lifecycle {
    prevent_destroy = true
  }
}
