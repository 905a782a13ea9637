resource "aws_sqs_queue" "notify_order_shop" {
  name                      = "users-orders-dev-notify_order-shop-failed"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true

  lifecycle {
    prevent_destroy = true
  }
}
