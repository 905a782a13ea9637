output "shop_table_name" {
  description = "DynamoDB table 'shop' (TABLE_SHOP)"
  value       = aws_dynamodb_table.shop.name
}

output "order_events_topic_arn" {
  description = "SNS topic 'order_events' (TOPIC_ORDER_EVENTS)"
  value       = aws_sns_topic.order_events.arn
}

output "api_url" {
  description = "Base URL of the API's stage"
  value       = aws_api_gateway_stage.api.invoke_url
}

output "alarms_topic_arn" {
  description = "SNS topic the alarms notify"
  value       = aws_sns_topic.alarms.arn
}
