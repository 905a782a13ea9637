resource "aws_cloudwatch_log_group" "app" {
  name              = "/aws/lambda/proxy-app-dev-app"
  retention_in_days = 7
}

resource "aws_lambda_function" "app" {
  function_name    = "proxy-app-dev-app"
  description      = "The application; routes every request itself"
  role             = aws_iam_role.app.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["x86_64"]
  memory_size      = 1024
  timeout          = 29
  filename         = "${var.artifacts_dir}/app.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/app.zip")

  environment {
    variables = {
      LOG_LEVEL = "info"
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.app.name
  }

  depends_on = [aws_iam_role_policy.app]
}
