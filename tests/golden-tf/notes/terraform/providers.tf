provider "aws" {
  region = var.region

  default_tags {
    tags = {
      "svcgen:service" = "notes"
      "svcgen:stage"   = "dev"
    }
  }
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}
