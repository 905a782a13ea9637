resource "aws_sns_topic" "order_events" {
  name              = "users-orders-dev-order_events"
  display_name      = "Shop orders"
  kms_master_key_id = "alias/aws/sns"
}
