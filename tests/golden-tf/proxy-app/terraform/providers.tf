provider "aws" {
  region = var.region

  default_tags {
    tags = {
      team             = "web"
      "svcgen:service" = "proxy-app"
      "svcgen:stage"   = "dev"
    }
  }
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}
