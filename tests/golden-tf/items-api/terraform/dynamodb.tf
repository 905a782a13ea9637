resource "aws_dynamodb_table" "items" {
  name           = "items-prod-items"
  billing_mode   = "PROVISIONED"
  read_capacity  = 10
  write_capacity = 5
  hash_key       = "owner"
  range_key      = "id"

  attribute {
    name = "category"
    type = "S"
  }

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "owner"
    type = "S"
  }

  attribute {
    name = "updated_at"
    type = "N"
  }

  global_secondary_index {
    name               = "by_category"
    projection_type    = "INCLUDE"
    non_key_attributes = ["name", "price"]
    read_capacity      = 5
    write_capacity     = 5

    key_schema {
      attribute_name = "category"
      key_type       = "HASH"
    }

    key_schema {
      attribute_name = "updated_at"
      key_type       = "RANGE"
    }
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
