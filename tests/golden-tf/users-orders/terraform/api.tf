resource "aws_api_gateway_rest_api" "api" {
  name        = "users-orders-dev-api"
  description = "Users and their orders on one table, with order notifications"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "add_user" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "add_user"
}

resource "aws_api_gateway_method" "add_user_post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.add_user.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "add_user_post" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.add_user.id
  http_method             = aws_api_gateway_method.add_user_post.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.add_user.invoke_arn
}

resource "aws_lambda_permission" "add_user_post" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.add_user.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/POST/add_user"
}

resource "aws_api_gateway_method" "add_user_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.add_user.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "add_user_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.add_user.id
  http_method = aws_api_gateway_method.add_user_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "add_user_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.add_user.id
  http_method = aws_api_gateway_method.add_user_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "add_user_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.add_user.id
  http_method = aws_api_gateway_method.add_user_options.http_method
  status_code = aws_api_gateway_method_response.add_user_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'OPTIONS,POST'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.add_user_options]
}

resource "aws_api_gateway_resource" "users" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "users"
}

resource "aws_api_gateway_resource" "users_username" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.users.id
  path_part   = "{username}"
}

resource "aws_api_gateway_method" "users_username_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_username.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "users_username_get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.users_username.id
  http_method             = aws_api_gateway_method.users_username_get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.get_user.invoke_arn
}

resource "aws_lambda_permission" "users_username_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.get_user.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/GET/users/*"
}

resource "aws_api_gateway_method" "users_username_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.users_username.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "users_username_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_username.id
  http_method = aws_api_gateway_method.users_username_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "users_username_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_username.id
  http_method = aws_api_gateway_method.users_username_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "users_username_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.users_username.id
  http_method = aws_api_gateway_method.users_username_options.http_method
  status_code = aws_api_gateway_method_response.users_username_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'GET,OPTIONS'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.users_username_options]
}

resource "aws_api_gateway_resource" "edit_address" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "edit-address"
}

resource "aws_api_gateway_method" "edit_address_post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.edit_address.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "edit_address_post" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.edit_address.id
  http_method             = aws_api_gateway_method.edit_address_post.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.edit_address.invoke_arn
}

resource "aws_lambda_permission" "edit_address_post" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.edit_address.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/POST/edit-address"
}

resource "aws_api_gateway_method" "edit_address_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.edit_address.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "edit_address_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.edit_address.id
  http_method = aws_api_gateway_method.edit_address_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "edit_address_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.edit_address.id
  http_method = aws_api_gateway_method.edit_address_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "edit_address_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.edit_address.id
  http_method = aws_api_gateway_method.edit_address_options.http_method
  status_code = aws_api_gateway_method_response.edit_address_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'OPTIONS,POST'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.edit_address_options]
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "orders_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "orders_get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.orders_get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.list_orders.invoke_arn
}

resource "aws_lambda_permission" "orders_get" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.list_orders.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/GET/orders"
}

resource "aws_api_gateway_method" "orders_post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "orders_post" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.orders_post.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.create_order.invoke_arn
}

resource "aws_lambda_permission" "orders_post" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.create_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/dev/POST/orders"
}

resource "aws_api_gateway_method" "orders_options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "orders_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.orders_options.http_method
  status_code = "204"
  response_parameters = {
    "method.response.header.Vary"                         = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Max-Age"       = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }
}

resource "aws_api_gateway_integration" "orders_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.orders_options.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_integration_response" "orders_options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.orders_options.http_method
  status_code = aws_api_gateway_method_response.orders_options.status_code
  response_parameters = {
    "method.response.header.Vary"                         = "'Origin'"
    "method.response.header.Access-Control-Allow-Methods" = "'GET,OPTIONS,POST'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.orders_options]
}

resource "aws_api_gateway_resource" "orders_order_id" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{order_id}"
}

resource "aws_api_gateway_method" "orders_order_id_put" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders_order_id.id
  http_method   = "PUT"
  authorization = "NONE"
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
    "method.response.header.Access-Control-Allow-Methods" = "'OPTIONS,PUT'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token'"
    "method.response.header.Access-Control-Max-Age"       = "'600'"
  }
  response_templates = {
    "application/json" = "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"https://shop.example.com\" || $origin == \"http://localhost:3000\")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
  }

  depends_on = [aws_api_gateway_integration.orders_order_id_options]
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  description = "API definition a4ddfed822866302"

  triggers = {
    api_definition = "a4ddfed822866302"
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.add_user_post,
    aws_api_gateway_integration.add_user_options,
    aws_api_gateway_integration_response.add_user_options,
    aws_api_gateway_integration.users_username_get,
    aws_api_gateway_integration.users_username_options,
    aws_api_gateway_integration_response.users_username_options,
    aws_api_gateway_integration.edit_address_post,
    aws_api_gateway_integration.edit_address_options,
    aws_api_gateway_integration_response.edit_address_options,
    aws_api_gateway_integration.orders_get,
    aws_api_gateway_integration.orders_post,
    aws_api_gateway_integration.orders_options,
    aws_api_gateway_integration_response.orders_options,
    aws_api_gateway_integration.orders_order_id_put,
    aws_api_gateway_integration.orders_order_id_options,
    aws_api_gateway_integration_response.orders_order_id_options,
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
  name              = "/aws/apigateway/users-orders-dev-api"
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
