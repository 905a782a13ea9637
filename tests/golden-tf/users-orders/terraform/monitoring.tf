resource "aws_sns_topic" "alarms" {
  name              = "users-orders-dev-alarms"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "alarm_email_1" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = "ops@example.com"
}

resource "aws_sns_topic_subscription" "alarm_email_2" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = "shop-oncall@example.com"
}

resource "aws_cloudwatch_metric_alarm" "add_user_errors" {
  alarm_name          = "users-orders-dev-add_user-errors"
  alarm_description   = "Errors sum of add_user >= 1 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.add_user.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "add_user_throttles" {
  alarm_name          = "users-orders-dev-add_user-throttles"
  alarm_description   = "Throttles sum of add_user >= 1 over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.add_user.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "add_user_duration_p99" {
  alarm_name          = "users-orders-dev-add_user-duration-p99"
  alarm_description   = "Duration p99 of add_user > 3000 ms over 2 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  threshold           = 3000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.add_user.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "get_user_errors" {
  alarm_name          = "users-orders-dev-get_user-errors"
  alarm_description   = "Errors sum of get_user >= 1 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.get_user.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "get_user_throttles" {
  alarm_name          = "users-orders-dev-get_user-throttles"
  alarm_description   = "Throttles sum of get_user >= 1 over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.get_user.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "get_user_duration_p99" {
  alarm_name          = "users-orders-dev-get_user-duration-p99"
  alarm_description   = "Duration p99 of get_user > 3000 ms over 2 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  threshold           = 3000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.get_user.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "edit_address_errors" {
  alarm_name          = "users-orders-dev-edit_address-errors"
  alarm_description   = "Errors sum of edit_address >= 1 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.edit_address.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "edit_address_throttles" {
  alarm_name          = "users-orders-dev-edit_address-throttles"
  alarm_description   = "Throttles sum of edit_address >= 1 over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.edit_address.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "edit_address_duration_p99" {
  alarm_name          = "users-orders-dev-edit_address-duration-p99"
  alarm_description   = "Duration p99 of edit_address > 3000 ms over 2 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  threshold           = 3000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.edit_address.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "list_orders_errors" {
  alarm_name          = "users-orders-dev-list_orders-errors"
  alarm_description   = "Errors sum of list_orders >= 1 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.list_orders.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "list_orders_throttles" {
  alarm_name          = "users-orders-dev-list_orders-throttles"
  alarm_description   = "Throttles sum of list_orders >= 1 over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.list_orders.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "list_orders_duration_p99" {
  alarm_name          = "users-orders-dev-list_orders-duration-p99"
  alarm_description   = "Duration p99 of list_orders > 3000 ms over 2 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  threshold           = 3000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.list_orders.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "create_order_errors" {
  alarm_name          = "users-orders-dev-create_order-errors"
  alarm_description   = "Errors sum of create_order >= 1 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.create_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "create_order_throttles" {
  alarm_name          = "users-orders-dev-create_order-throttles"
  alarm_description   = "Throttles sum of create_order >= 1 over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.create_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "create_order_duration_p99" {
  alarm_name          = "users-orders-dev-create_order-duration-p99"
  alarm_description   = "Duration p99 of create_order > 3000 ms over 2 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  threshold           = 3000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.create_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "update_order_errors" {
  alarm_name          = "users-orders-dev-update_order-errors"
  alarm_description   = "Errors sum of update_order >= 1 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.update_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "update_order_throttles" {
  alarm_name          = "users-orders-dev-update_order-throttles"
  alarm_description   = "Throttles sum of update_order >= 1 over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.update_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "update_order_duration_p99" {
  alarm_name          = "users-orders-dev-update_order-duration-p99"
  alarm_description   = "Duration p99 of update_order > 3000 ms over 2 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  threshold           = 3000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.update_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "notify_order_errors" {
  alarm_name          = "users-orders-dev-notify_order-errors"
  alarm_description   = "Errors sum of notify_order >= 1 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.notify_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "notify_order_throttles" {
  alarm_name          = "users-orders-dev-notify_order-throttles"
  alarm_description   = "Throttles sum of notify_order >= 1 over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.notify_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "notify_order_duration_p99" {
  alarm_name          = "users-orders-dev-notify_order-duration-p99"
  alarm_description   = "Duration p99 of notify_order > 3000 ms over 2 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  threshold           = 3000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.notify_order.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "users-orders-dev-api-5xx"
  alarm_description   = "5XXError sum of api >= 5 over 1 x 300 s"
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiName = "users-orders-dev-api"
    Stage   = "dev"
  }
}

resource "aws_cloudwatch_metric_alarm" "api_4xx" {
  alarm_name          = "users-orders-dev-api-4xx"
  alarm_description   = "4XXError sum of api >= 100 over 1 x 300 s"
  namespace           = "AWS/ApiGateway"
  metric_name         = "4XXError"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 100
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiName = "users-orders-dev-api"
    Stage   = "dev"
  }
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name          = "users-orders-dev-api-latency-p99"
  alarm_description   = "Latency p99 of api > 2000 ms over 3 x 300 s"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  threshold           = 2000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiName = "users-orders-dev-api"
    Stage   = "dev"
  }
}

resource "aws_cloudwatch_metric_alarm" "shop_read_throttles" {
  alarm_name          = "users-orders-dev-shop-read-throttles"
  alarm_description   = "ReadThrottleEvents sum of shop >= 1 over 1 x 60 s"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    TableName = aws_dynamodb_table.shop.name
  }
}

resource "aws_cloudwatch_metric_alarm" "shop_write_throttles" {
  alarm_name          = "users-orders-dev-shop-write-throttles"
  alarm_description   = "WriteThrottleEvents sum of shop >= 1 over 1 x 60 s"
  namespace           = "AWS/DynamoDB"
  metric_name         = "WriteThrottleEvents"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    TableName = aws_dynamodb_table.shop.name
  }
}
