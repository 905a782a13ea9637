provider "aws" {
  region = var.region

  default_tags {
    tags = {
      team                = "shop"
      cost-center         = "4711"
      data-classification = "internal"
      "svcgen:service"    = "users-orders"
      "svcgen:stage"      = "dev"
    }
  }
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}
