output "items_table_name" {
  description = "DynamoDB table 'items' (TABLE_ITEMS)"
  value       = aws_dynamodb_table.items.name
}

output "api_url" {
  description = "Base URL of the API"
  value       = aws_apigatewayv2_api.api.api_endpoint
}

output "alarms_topic_arn" {
  description = "SNS topic the alarms notify"
  value       = aws_sns_topic.alarms.arn
}
