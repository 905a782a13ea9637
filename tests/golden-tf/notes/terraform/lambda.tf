resource "aws_cloudwatch_log_group" "list_notes" {
  name              = "/aws/lambda/notes-dev-list_notes"
  retention_in_days = 14
}

resource "aws_lambda_function" "list_notes" {
  function_name    = "notes-dev-list_notes"
  role             = aws_iam_role.list_notes.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/list_notes.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/list_notes.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_NOTES = aws_dynamodb_table.notes.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.list_notes.name
  }

  depends_on = [aws_iam_role_policy.list_notes]
}

resource "aws_cloudwatch_log_group" "create_note" {
  name              = "/aws/lambda/notes-dev-create_note"
  retention_in_days = 14
}

resource "aws_lambda_function" "create_note" {
  function_name    = "notes-dev-create_note"
  role             = aws_iam_role.create_note.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/create_note.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/create_note.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_NOTES = aws_dynamodb_table.notes.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.create_note.name
  }

  depends_on = [aws_iam_role_policy.create_note]
}

resource "aws_cloudwatch_log_group" "get_note" {
  name              = "/aws/lambda/notes-dev-get_note"
  retention_in_days = 14
}

resource "aws_lambda_function" "get_note" {
  function_name    = "notes-dev-get_note"
  role             = aws_iam_role.get_note.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/get_note.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/get_note.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_NOTES = aws_dynamodb_table.notes.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.get_note.name
  }

  depends_on = [aws_iam_role_policy.get_note]
}

resource "aws_cloudwatch_log_group" "put_note" {
  name              = "/aws/lambda/notes-dev-put_note"
  retention_in_days = 14
}

resource "aws_lambda_function" "put_note" {
  function_name    = "notes-dev-put_note"
  role             = aws_iam_role.put_note.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/put_note.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/put_note.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_NOTES = aws_dynamodb_table.notes.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.put_note.name
  }

  depends_on = [aws_iam_role_policy.put_note]
}

resource "aws_cloudwatch_log_group" "update_note" {
  name              = "/aws/lambda/notes-dev-update_note"
  retention_in_days = 14
}

resource "aws_lambda_function" "update_note" {
  function_name    = "notes-dev-update_note"
  role             = aws_iam_role.update_note.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/update_note.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/update_note.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_NOTES = aws_dynamodb_table.notes.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.update_note.name
  }

  depends_on = [aws_iam_role_policy.update_note]
}

resource "aws_cloudwatch_log_group" "delete_note" {
  name              = "/aws/lambda/notes-dev-delete_note"
  retention_in_days = 14
}

resource "aws_lambda_function" "delete_note" {
  function_name    = "notes-dev-delete_note"
  role             = aws_iam_role.delete_note.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/delete_note.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/delete_note.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_NOTES = aws_dynamodb_table.notes.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.delete_note.name
  }

  depends_on = [aws_iam_role_policy.delete_note]
}

resource "aws_cloudwatch_log_group" "list_cards" {
  name              = "/aws/lambda/notes-dev-list_cards"
  retention_in_days = 14
}

resource "aws_lambda_function" "list_cards" {
  function_name    = "notes-dev-list_cards"
  role             = aws_iam_role.list_cards.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/list_cards.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/list_cards.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_CARDS = aws_dynamodb_table.cards.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.list_cards.name
  }

  depends_on = [aws_iam_role_policy.list_cards]
}

resource "aws_cloudwatch_log_group" "card" {
  name              = "/aws/lambda/notes-dev-card"
  retention_in_days = 14
}

resource "aws_lambda_function" "card" {
  function_name    = "notes-dev-card"
  role             = aws_iam_role.card.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/card.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/card.zip"), null)

  environment {
    variables = {
      LOG_LEVEL   = "info"
      TABLE_CARDS = aws_dynamodb_table.cards.name
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.card.name
  }

  depends_on = [aws_iam_role_policy.card]
}

resource "aws_cloudwatch_log_group" "note_changed" {
  name              = "/aws/lambda/notes-dev-note_changed"
  retention_in_days = 14
}

resource "aws_lambda_function" "note_changed" {
  function_name    = "notes-dev-note_changed"
  description      = "Publishes every change of a note"
  role             = aws_iam_role.note_changed.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  filename         = "${var.artifacts_dir}/note_changed.zip"
  source_code_hash = try(filebase64sha256("${var.artifacts_dir}/note_changed.zip"), null)

  environment {
    variables = {
      LOG_LEVEL         = "info"
      TOPIC_NOTE_EVENTS = aws_sns_topic.note_events.arn
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.note_changed.name
  }

  depends_on = [aws_iam_role_policy.note_changed]
}

resource "aws_lambda_event_source_mapping" "note_changed_notes" {
  function_name                  = aws_lambda_function.note_changed.arn
  event_source_arn               = aws_dynamodb_table.notes.stream_arn
  batch_size                     = 25
  starting_position              = "TRIM_HORIZON"
  maximum_retry_attempts         = 3
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.note_changed_notes.arn
    }
  }
}
