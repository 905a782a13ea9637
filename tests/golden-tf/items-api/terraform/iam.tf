resource "aws_iam_role" "list_items" {
  name        = "items-api-prod-list_items"
  description = "Execution role of items-api-prod-list_items"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "list_items" {
  name = "items-api-prod-list_items-policy"
  role = aws_iam_role.list_items.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ItemsTableRead"
        Effect   = "Allow"
        Action   = ["dynamodb:Scan"]
        Resource = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/items-api-prod-items"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/items-api-prod-list_items:*"
      },
    ]
  })
}

resource "aws_iam_role" "create_item" {
  name        = "items-api-prod-create_item"
  description = "Execution role of items-api-prod-create_item"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "create_item" {
  name = "items-api-prod-create_item-policy"
  role = aws_iam_role.create_item.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ItemsTableWrite"
        Effect   = "Allow"
        Action   = ["dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:PutItem"]
        Resource = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/items-api-prod-items"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/items-api-prod-create_item:*"
      },
    ]
  })
}

resource "aws_iam_role" "get_item" {
  name        = "items-api-prod-get_item"
  description = "Execution role of items-api-prod-get_item"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "get_item" {
  name = "items-api-prod-get_item-policy"
  role = aws_iam_role.get_item.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ItemsTableRead"
        Effect   = "Allow"
        Action   = ["dynamodb:BatchGetItem", "dynamodb:GetItem"]
        Resource = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/items-api-prod-items"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/items-api-prod-get_item:*"
      },
    ]
  })
}

resource "aws_iam_role" "update_item" {
  name        = "items-api-prod-update_item"
  description = "Execution role of items-api-prod-update_item"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "update_item" {
  name = "items-api-prod-update_item-policy"
  role = aws_iam_role.update_item.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ItemsTableWrite"
        Effect   = "Allow"
        Action   = ["dynamodb:ConditionCheckItem", "dynamodb:UpdateItem"]
        Resource = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/items-api-prod-items"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/items-api-prod-update_item:*"
      },
    ]
  })
}

resource "aws_iam_role" "delete_item" {
  name        = "items-api-prod-delete_item"
  description = "Execution role of items-api-prod-delete_item"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "delete_item" {
  name = "items-api-prod-delete_item-policy"
  role = aws_iam_role.delete_item.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ItemsTableWrite"
        Effect   = "Allow"
        Action   = ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem"]
        Resource = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/items-api-prod-items"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/items-api-prod-delete_item:*"
      },
    ]
  })
}
