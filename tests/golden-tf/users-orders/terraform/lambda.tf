resource "aws_cloudwatch_log_group" "add_user" {
  name              = "/aws/lambda/users-orders-dev-add_user"
  retention_in_days = 14
}

resource "aws_lambda_function" "add_user" {
  function_name    = "users-orders-dev-add_user"
  description      = "Adds a user; username and e-mail address are both unique"
  role             = aws_iam_role.add_user.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/add_user.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/add_user.zip")

  environment {
    variables = {
      LOG_LEVEL  = "info"
      TABLE_SHOP = aws_dynamodb_table.shop.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.add_user.name
  }

  depends_on = [aws_iam_role_policy.add_user]
}

resource "aws_cloudwatch_log_group" "get_user" {
  name              = "/aws/lambda/users-orders-dev-get_user"
  retention_in_days = 14
}

resource "aws_lambda_function" "get_user" {
  function_name    = "users-orders-dev-get_user"
  role             = aws_iam_role.get_user.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/get_user.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/get_user.zip")

  environment {
    variables = {
      LOG_LEVEL  = "info"
      TABLE_SHOP = aws_dynamodb_table.shop.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.get_user.name
  }

  depends_on = [aws_iam_role_policy.get_user]
}

resource "aws_cloudwatch_log_group" "edit_address" {
  name              = "/aws/lambda/users-orders-dev-edit_address"
  retention_in_days = 14
}

resource "aws_lambda_function" "edit_address" {
  function_name    = "users-orders-dev-edit_address"
  role             = aws_iam_role.edit_address.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/edit_address.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/edit_address.zip")

  environment {
    variables = {
      LOG_LEVEL  = "info"
      TABLE_SHOP = aws_dynamodb_table.shop.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.edit_address.name
  }

  depends_on = [aws_iam_role_policy.edit_address]
}

resource "aws_cloudwatch_log_group" "list_orders" {
  name              = "/aws/lambda/users-orders-dev-list_orders"
  retention_in_days = 14
}

resource "aws_lambda_function" "list_orders" {
  function_name    = "users-orders-dev-list_orders"
  role             = aws_iam_role.list_orders.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/list_orders.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/list_orders.zip")

  environment {
    variables = {
      LOG_LEVEL  = "info"
      TABLE_SHOP = aws_dynamodb_table.shop.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.list_orders.name
  }

  depends_on = [aws_iam_role_policy.list_orders]
}

resource "aws_cloudwatch_log_group" "create_order" {
  name              = "/aws/lambda/users-orders-dev-create_order"
  retention_in_days = 14
}

resource "aws_lambda_function" "create_order" {
  function_name    = "users-orders-dev-create_order"
  description      = "Places an order for an existing user"
  role             = aws_iam_role.create_order.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 512
  timeout          = 10
  filename         = "${var.artifacts_dir}/create_order.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/create_order.zip")

  environment {
    variables = {
      LOG_LEVEL  = "info"
      TABLE_SHOP = aws_dynamodb_table.shop.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.create_order.name
  }

  depends_on = [aws_iam_role_policy.create_order]
}

resource "aws_cloudwatch_log_group" "update_order" {
  name              = "/aws/lambda/users-orders-dev-update_order"
  retention_in_days = 14
}

resource "aws_lambda_function" "update_order" {
  function_name    = "users-orders-dev-update_order"
  description      = "Changes the status of an order"
  role             = aws_iam_role.update_order.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/update_order.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/update_order.zip")

  environment {
    variables = {
      LOG_LEVEL  = "info"
      TABLE_SHOP = aws_dynamodb_table.shop.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.update_order.name
  }

  depends_on = [aws_iam_role_policy.update_order]
}

resource "aws_cloudwatch_log_group" "notify_order" {
  name              = "/aws/lambda/users-orders-dev-notify_order"
  retention_in_days = 14
}

resource "aws_lambda_function" "notify_order" {
  function_name                  = "users-orders-dev-notify_order"
  description                    = "Publishes every new order to the order_events topic"
  role                           = aws_iam_role.notify_order.arn
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = ["arm64"]
  memory_size                    = 256
  timeout                        = 60
  reserved_concurrent_executions = 5
  filename                       = "${var.artifacts_dir}/notify_order.zip"
  source_code_hash               = filebase64sha256("${var.artifacts_dir}/notify_order.zip")

  environment {
    variables = {
      LOG_LEVEL          = "debug"
      TOPIC_ORDER_EVENTS = aws_sns_topic.order_events.arn
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.notify_order.name
  }

  depends_on = [aws_iam_role_policy.notify_order]
}

resource "aws_lambda_event_source_mapping" "notify_order_shop" {
  function_name                      = aws_lambda_function.notify_order.arn
  event_source_arn                   = aws_dynamodb_table.shop.stream_arn
  batch_size                         = 10
  starting_position                  = "LATEST"
  maximum_batching_window_in_seconds = 5
  maximum_retry_attempts             = 3

  filter_criteria {
    filter {
      pattern = jsonencode({
        eventName = ["INSERT"]
        dynamodb = {
          Keys = {
            SK = {
              S = [
                {
                  prefix = "#ORDER#"
                },
              ]
            }
          }
        }
      })
    }
  }
}
