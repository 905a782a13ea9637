resource "aws_apigatewayv2_api" "api" {
  name          = "items-api-prod-api"
  protocol_type = "HTTP"
  description   = "Items catalogue on an HTTP API with IAM auth"

  cors_configuration {
    allow_origins = ["https://admin.example.com"]
    allow_methods = ["DELETE", "GET", "OPTIONS", "POST", "PUT"]
    allow_headers = ["Content-Type", "Authorization", "X-Amz-Date", "X-Amz-Security-Token"]
    max_age       = 300
  }
}

resource "aws_apigatewayv2_integration" "list_items" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.list_items.arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_integration" "create_item" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.create_item.arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_integration" "get_item" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.get_item.arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_integration" "update_item" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.update_item.arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_integration" "delete_item" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.delete_item.arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "items_get" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "GET /items"
  target             = "integrations/${aws_apigatewayv2_integration.list_items.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "items_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.list_items.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/GET/items"
}

resource "aws_apigatewayv2_route" "items_post" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "POST /items"
  target             = "integrations/${aws_apigatewayv2_integration.create_item.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "items_post" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.create_item.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/POST/items"
}

resource "aws_apigatewayv2_route" "items_id_get" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "GET /items/{id}"
  target             = "integrations/${aws_apigatewayv2_integration.get_item.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "items_id_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.get_item.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/GET/items/*"
}

resource "aws_apigatewayv2_route" "items_id_put" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "PUT /items/{id}"
  target             = "integrations/${aws_apigatewayv2_integration.update_item.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "items_id_put" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.update_item.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/PUT/items/*"
}

resource "aws_apigatewayv2_route" "items_id_delete" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "DELETE /items/{id}"
  target             = "integrations/${aws_apigatewayv2_integration.delete_item.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "items_id_delete" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.delete_item.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/DELETE/items/*"
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/items-api-prod-api"
  retention_in_days = 90
}

resource "aws_apigatewayv2_stage" "api" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    detailed_metrics_enabled = true
    throttling_rate_limit    = 100
    throttling_burst_limit   = 200
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
    })
  }
}
