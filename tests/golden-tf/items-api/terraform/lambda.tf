resource "aws_cloudwatch_log_group" "list_items" {
  name              = "/aws/lambda/items-api-prod-list_items"
  retention_in_days = 90
}

resource "aws_lambda_function" "list_items" {
  function_name    = "items-api-prod-list_items"
  description      = "Lists the items, a page at a time"
  role             = aws_iam_role.list_items.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 512
  timeout          = 10
  filename         = "${var.artifacts_dir}/list_items.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/list_items.zip")

  environment {
    variables = {
      LOG_LEVEL   = "warn"
      TABLE_ITEMS = aws_dynamodb_table.items.name
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.list_items.name
  }

  depends_on = [aws_iam_role_policy.list_items]
}

resource "aws_cloudwatch_log_group" "create_item" {
  name              = "/aws/lambda/items-api-prod-create_item"
  retention_in_days = 90
}

resource "aws_lambda_function" "create_item" {
  function_name    = "items-api-prod-create_item"
  role             = aws_iam_role.create_item.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/create_item.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/create_item.zip")

  environment {
    variables = {
      LOG_LEVEL   = "warn"
      TABLE_ITEMS = aws_dynamodb_table.items.name
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.create_item.name
  }

  depends_on = [aws_iam_role_policy.create_item]
}

resource "aws_cloudwatch_log_group" "get_item" {
  name              = "/aws/lambda/items-api-prod-get_item"
  retention_in_days = 90
}

resource "aws_lambda_function" "get_item" {
  function_name    = "items-api-prod-get_item"
  role             = aws_iam_role.get_item.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/get_item.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/get_item.zip")

  environment {
    variables = {
      LOG_LEVEL   = "warn"
      TABLE_ITEMS = aws_dynamodb_table.items.name
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.get_item.name
  }

  depends_on = [aws_iam_role_policy.get_item]
}

resource "aws_cloudwatch_log_group" "update_item" {
  name              = "/aws/lambda/items-api-prod-update_item"
  retention_in_days = 90
}

resource "aws_lambda_function" "update_item" {
  function_name    = "items-api-prod-update_item"
  role             = aws_iam_role.update_item.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/update_item.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/update_item.zip")

  environment {
    variables = {
      LOG_LEVEL   = "warn"
      TABLE_ITEMS = aws_dynamodb_table.items.name
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.update_item.name
  }

  depends_on = [aws_iam_role_policy.update_item]
}

resource "aws_cloudwatch_log_group" "delete_item" {
  name              = "/aws/lambda/items-api-prod-delete_item"
  retention_in_days = 90
}

resource "aws_lambda_function" "delete_item" {
  function_name    = "items-api-prod-delete_item"
  role             = aws_iam_role.delete_item.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/delete_item.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/delete_item.zip")

  environment {
    variables = {
      LOG_LEVEL   = "warn"
      TABLE_ITEMS = aws_dynamodb_table.items.name
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.delete_item.name
  }

  depends_on = [aws_iam_role_policy.delete_item]
}
