output "api_url" {
  description = "Base URL of the API's stage"
  value       = aws_api_gateway_stage.api.invoke_url
}
