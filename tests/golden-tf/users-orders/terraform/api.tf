resource "aws_api_gateway_rest_api" "api" {
  name        = "shop-dev-api"
  description = "Users and orders of the web shop, with order notifications"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "users" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "users"
}

resource "aws_api_gateway_method" "users_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "users_get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users.id
  http_method             = aws_api_gateway_method.users_get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.find_users.invoke_arn
}

resource "aws_lambda_permission" "users_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.find_users.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/GET/users"
}

resource "aws_api_gateway_method" "users_post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "users_post" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users.id
  http_method             = aws_api_gateway_method.users_post.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.create_user.invoke_arn
}

resource "aws_lambda_permission" "users_post" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.create_user.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/POST/users"
}

resource "aws_api_gateway_method" "users_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "users_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users.id
  http_method = aws_api_gateway_method.users_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "users_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users.id
  http_method = aws_api_gateway_method.users_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "users_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users.id
  http_method = aws_api_gateway_method.users_options.http_method
  status_code = aws_api_gateway_method_response.users_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'GET,OPTIONS,POST'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.users_options]
}

resource "aws_api_gateway_resource" "users_user_id" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.users.id
  path_part   = "{user_id}"
}

resource "aws_api_gateway_method" "users_user_id_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_user_id.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "users_user_id_get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users_user_id.id
  http_method             = aws_api_gateway_method.users_user_id_get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.get_user.invoke_arn
}

resource "aws_lambda_permission" "users_user_id_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.get_user.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/GET/users/*"
}

resource "aws_api_gateway_method" "users_user_id_patch" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_user_id.id
  http_method   = "PATCH"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "users_user_id_patch" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users_user_id.id
  http_method             = aws_api_gateway_method.users_user_id_patch.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.update_user.invoke_arn
}

resource "aws_lambda_permission" "users_user_id_patch" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.update_user.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/PATCH/users/*"
}

resource "aws_api_gateway_method" "users_user_id_delete" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_user_id.id
  http_method   = "DELETE"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "users_user_id_delete" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users_user_id.id
  http_method             = aws_api_gateway_method.users_user_id_delete.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.delete_user.invoke_arn
}

resource "aws_lambda_permission" "users_user_id_delete" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.delete_user.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/DELETE/users/*"
}

resource "aws_api_gateway_method" "users_user_id_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_user_id.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "users_user_id_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_user_id.id
  http_method = aws_api_gateway_method.users_user_id_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "users_user_id_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_user_id.id
  http_method = aws_api_gateway_method.users_user_id_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "users_user_id_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_user_id.id
  http_method = aws_api_gateway_method.users_user_id_options.http_method
  status_code = aws_api_gateway_method_response.users_user_id_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'DELETE,GET,OPTIONS,PATCH'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.users_user_id_options]
}

resource "aws_api_gateway_resource" "users_user_id_orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.users_user_id.id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "users_user_id_orders_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_user_id_orders.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "users_user_id_orders_get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users_user_id_orders.id
  http_method             = aws_api_gateway_method.users_user_id_orders_get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.list_orders.invoke_arn
}

resource "aws_lambda_permission" "users_user_id_orders_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.list_orders.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/GET/users/*/orders"
}

resource "aws_api_gateway_method" "users_user_id_orders_post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_user_id_orders.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "users_user_id_orders_post" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users_user_id_orders.id
  http_method             = aws_api_gateway_method.users_user_id_orders_post.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.create_order.invoke_arn
}

resource "aws_lambda_permission" "users_user_id_orders_post" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.create_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/POST/users/*/orders"
}

resource "aws_api_gateway_method" "users_user_id_orders_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_user_id_orders.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "users_user_id_orders_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_user_id_orders.id
  http_method = aws_api_gateway_method.users_user_id_orders_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "users_user_id_orders_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_user_id_orders.id
  http_method = aws_api_gateway_method.users_user_id_orders_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "users_user_id_orders_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_user_id_orders.id
  http_method = aws_api_gateway_method.users_user_id_orders_options.http_method
  status_code = aws_api_gateway_method_response.users_user_id_orders_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'GET,OPTIONS,POST'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.users_user_id_orders_options]
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_resource" "orders_order_id" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{order_id}"
}

resource "aws_api_gateway_method" "orders_order_id_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders_order_id.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "orders_order_id_get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders_order_id.id
  http_method             = aws_api_gateway_method.orders_order_id_get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.get_order.invoke_arn
}

resource "aws_lambda_permission" "orders_order_id_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.get_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/GET/orders/*"
}

resource "aws_api_gateway_method" "orders_order_id_put" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders_order_id.id
  http_method   = "PUT"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "orders_order_id_put" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders_order_id.id
  http_method             = aws_api_gateway_method.orders_order_id_put.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.update_order.invoke_arn
}

resource "aws_lambda_permission" "orders_order_id_put" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.update_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/PUT/orders/*"
}

resource "aws_api_gateway_method" "orders_order_id_delete" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders_order_id.id
  http_method   = "DELETE"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "orders_order_id_delete" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders_order_id.id
  http_method             = aws_api_gateway_method.orders_order_id_delete.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.cancel_order.invoke_arn
}

resource "aws_lambda_permission" "orders_order_id_delete" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.cancel_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/DELETE/orders/*"
}

resource "aws_api_gateway_method" "orders_order_id_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders_order_id.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "orders_order_id_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.orders_order_id.id
  http_method = aws_api_gateway_method.orders_order_id_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "orders_order_id_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.orders_order_id.id
  http_method = aws_api_gateway_method.orders_order_id_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "orders_order_id_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.orders_order_id.id
  http_method = aws_api_gateway_method.orders_order_id_options.http_method
  status_code = aws_api_gateway_method_response.orders_order_id_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'DELETE,GET,OPTIONS,PUT'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.orders_order_id_options]
}

resource "aws_api_gateway_gateway_response" "default_4xx" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  response_type = "DEFAULT_4XX"
  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"  = "method.request.header.Origin"
    "gatewayresponse.header.Vary"                         = "'Origin'"
    "gatewayresponse.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
  }
}

resource "aws_api_gateway_gateway_response" "default_5xx" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  response_type = "DEFAULT_5XX"
  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"  = "method.request.header.Origin"
    "gatewayresponse.header.Vary"                         = "'Origin'"
    "gatewayresponse.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
  }
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  description = "API definition c570d13f4bb2263b"

  triggers = {
    api_definition = "c570d13f4bb2263b"
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.users_get,
    aws_api_gateway_integration.users_post,
    aws_api_gateway_integration.users_options,
    aws_api_gateway_integration_response.users_options,
    aws_api_gateway_integration.users_user_id_get,
    aws_api_gateway_integration.users_user_id_patch,
    aws_api_gateway_integration.users_user_id_delete,
    aws_api_gateway_integration.users_user_id_options,
    aws_api_gateway_integration_response.users_user_id_options,
    aws_api_gateway_integration.users_user_id_orders_get,
    aws_api_gateway_integration.users_user_id_orders_post,
    aws_api_gateway_integration.users_user_id_orders_options,
    aws_api_gateway_integration_response.users_user_id_orders_options,
    aws_api_gateway_integration.orders_order_id_get,
    aws_api_gateway_integration.orders_order_id_put,
    aws_api_gateway_integration.orders_order_id_delete,
    aws_api_gateway_integration.orders_order_id_options,
    aws_api_gateway_integration_response.orders_order_id_options,
    aws_api_gateway_gateway_response.default_4xx,
    aws_api_gateway_gateway_response.default_5xx,
  ]
}

resource "aws_iam_role" "api_gateway_cloudwatch" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "apigateway.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  role       = aws_iam_role.api_gateway_cloudwatch.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "main" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch.arn

  depends_on = [aws_iam_role_policy_attachment.api_gateway_cloudwatch]
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/shop-dev-api"
  retention_in_days = 14
}

resource "aws_api_gateway_stage" "api" {
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = aws_api_gateway_deployment.api.id
  stage_name           = "dev"
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      integrationLatency = "$context.integrationLatency"
      xrayTraceId        = "$context.xrayTraceId"
    })
  }

  depends_on = [aws_api_gateway_account.main]
}

resource "aws_api_gateway_method_settings" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.api.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    data_trace_enabled     = false
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}
