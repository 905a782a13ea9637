variable "region" {
  type        = string
  default     = "us-east-1"
  description = "AWS region to deploy to (default: the spec's region)"
}

variable "artifacts_dir" {
  type        = string
  default     = "../handlers/build"
  description = "Directory holding each function's <function>.zip, as the handler project's `make package` writes them"
}
