resource "aws_cloudwatch_log_group" "dynamodb_manager" {
  name              = "/aws/lambda/dynamodb-manager-prod-dynamodb_manager"
  retention_in_days = 30
}

resource "aws_lambda_function" "dynamodb_manager" {
  function_name    = "dynamodb-manager-prod-dynamodb_manager"
  description      = "Runs the create/read/update/delete/list/echo/ping operation named in the request body"
  role             = aws_iam_role.dynamodb_manager.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 512
  timeout          = 15
  filename         = "${var.artifacts_dir}/dynamodb_manager.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/dynamodb_manager.zip")

  environment {
    variables = {
      LOG_LEVEL               = "info"
      TABLE_LAMBDA_APIGATEWAY = aws_dynamodb_table.lambda_apigateway.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.dynamodb_manager.name
  }

  depends_on = [aws_iam_role_policy.dynamodb_manager]
}
