provider "aws" {
  region = var.region

  default_tags {
    tags = {
      team             = "platform"
      purpose          = "tutorial"
      "svcgen:service" = "dynamodb-manager"
      "svcgen:stage"   = "prod"
    }
  }
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}
