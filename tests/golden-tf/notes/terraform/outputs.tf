output "notes_table_name" {
  description = "DynamoDB table 'notes' (TABLE_NOTES)"
  value       = aws_dynamodb_table.notes.name
}

output "cards_table_name" {
  description = "DynamoDB table 'cards' (TABLE_CARDS)"
  value       = aws_dynamodb_table.cards.name
}

output "note_events_topic_arn" {
  description = "SNS topic 'note_events' (TOPIC_NOTE_EVENTS)"
  value       = aws_sns_topic.note_events.arn
}

output "api_url" {
  description = "Base URL of the API's stage"
  value       = aws_api_gateway_stage.api.invoke_url
}
