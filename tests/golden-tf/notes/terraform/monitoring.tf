resource "aws_cloudwatch_metric_alarm" "note_changed_iterator_age" {
  alarm_name          = "notes-dev-note_changed-iterator-age"
  alarm_description   = "IteratorAge maximum of note_changed > 300000 ms over 1 x 60 s"
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 300000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    FunctionName = aws_lambda_function.note_changed.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "note_changed_notes_failed_records" {
  alarm_name          = "notes-dev-note_changed-notes-failed-records"
  alarm_description   = "ApproximateNumberOfMessagesVisible maximum of note_changed-notes >= 1 over 1 x 300 s"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    QueueName = aws_sqs_queue.note_changed_notes.name
  }
}
