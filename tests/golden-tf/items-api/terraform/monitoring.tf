resource "aws_sns_topic" "alarms" {
  name              = "items-api-prod-alarms"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "alarm_email_1" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = "catalogue-alerts@example.com"
}

resource "aws_cloudwatch_metric_alarm" "list_items_errors" {
  alarm_name          = "items-api-prod-list_items-errors"
  alarm_description   = "Errors sum of list_items >= 1 over 1 x 60 s"
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
    FunctionName = aws_lambda_function.list_items.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "list_items_throttles" {
  alarm_name          = "items-api-prod-list_items-throttles"
  alarm_description   = "Throttles sum of list_items >= 5 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.list_items.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "list_items_duration_p99" {
  alarm_name          = "items-api-prod-list_items-duration-p99"
  alarm_description   = "Duration p99 of list_items > 5000 ms over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.list_items.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "create_item_errors" {
  alarm_name          = "items-api-prod-create_item-errors"
  alarm_description   = "Errors sum of create_item >= 1 over 1 x 60 s"
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
    FunctionName = aws_lambda_function.create_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "create_item_throttles" {
  alarm_name          = "items-api-prod-create_item-throttles"
  alarm_description   = "Throttles sum of create_item >= 5 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.create_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "create_item_duration_p99" {
  alarm_name          = "items-api-prod-create_item-duration-p99"
  alarm_description   = "Duration p99 of create_item > 5000 ms over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.create_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "get_item_errors" {
  alarm_name          = "items-api-prod-get_item-errors"
  alarm_description   = "Errors sum of get_item >= 1 over 1 x 60 s"
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
    FunctionName = aws_lambda_function.get_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "get_item_throttles" {
  alarm_name          = "items-api-prod-get_item-throttles"
  alarm_description   = "Throttles sum of get_item >= 5 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.get_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "get_item_duration_p99" {
  alarm_name          = "items-api-prod-get_item-duration-p99"
  alarm_description   = "Duration p99 of get_item > 5000 ms over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.get_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "update_item_errors" {
  alarm_name          = "items-api-prod-update_item-errors"
  alarm_description   = "Errors sum of update_item >= 1 over 1 x 60 s"
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
    FunctionName = aws_lambda_function.update_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "update_item_throttles" {
  alarm_name          = "items-api-prod-update_item-throttles"
  alarm_description   = "Throttles sum of update_item >= 5 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.update_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "update_item_duration_p99" {
  alarm_name          = "items-api-prod-update_item-duration-p99"
  alarm_description   = "Duration p99 of update_item > 5000 ms over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.update_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "delete_item_errors" {
  alarm_name          = "items-api-prod-delete_item-errors"
  alarm_description   = "Errors sum of delete_item >= 1 over 1 x 60 s"
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
    FunctionName = aws_lambda_function.delete_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "delete_item_throttles" {
  alarm_name          = "items-api-prod-delete_item-throttles"
  alarm_description   = "Throttles sum of delete_item >= 5 over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.delete_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "delete_item_duration_p99" {
  alarm_name          = "items-api-prod-delete_item-duration-p99"
  alarm_description   = "Duration p99 of delete_item > 5000 ms over 1 x 300 s"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = aws_lambda_function.delete_item.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "items-api-prod-api-5xx"
  alarm_description   = "5xx sum of api >= 1 over 2 x 60 s"
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiId = aws_apigatewayv2_api.api.id
    Stage = "$default"
  }
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name          = "items-api-prod-api-latency-p99"
  alarm_description   = "Latency p99 of api > 1000 ms over 3 x 300 s"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  threshold           = 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiId = aws_apigatewayv2_api.api.id
    Stage = "$default"
  }
}
