resource "aws_sns_topic" "note_events" {
  name              = "notes-dev-note_events"
  kms_master_key_id = "alias/aws/sns"
}
