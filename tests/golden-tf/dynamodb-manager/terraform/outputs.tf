output "lambda_apigateway_table_name" {
  description = "DynamoDB table 'lambda-apigateway' (TABLE_LAMBDA_APIGATEWAY)"
  value       = aws_dynamodb_table.lambda_apigateway.name
}

output "user_pool_id" {
  description = "Cognito user pool ID"
  value       = aws_cognito_user_pool.main.id
}

output "user_pool_client_id" {
  description = "Cognito app client ID (no secret)"
  value       = aws_cognito_user_pool_client.main.id
}

output "api_url" {
  description = "Base URL of the API's stage"
  value       = aws_api_gateway_stage.api.invoke_url
}
