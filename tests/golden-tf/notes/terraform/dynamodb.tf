resource "aws_dynamodb_table" "notes" {
  name             = "notes-dev-notes"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_dynamodb_table" "cards" {
  name         = "notes-dev-cards"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "board_id"
  range_key    = "card_id"

  attribute {
    name = "board_id"
    type = "S"
  }

  attribute {
    name = "card_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
  }
}
