provider "aws" {
  region = var.region

  default_tags {
    tags = {
      team             = "catalogue"
      environment      = "production"
      "svcgen:service" = "items-api"
      "svcgen:stage"   = "prod"
    }
  }
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}
