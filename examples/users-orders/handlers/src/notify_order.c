/*
 * notify_order.c - publishes every new order to the order_events topic.
 *
 * Events: the table's stream.  The event source mapping's filter lets
 * through only the INSERT of an order item (SK starting with #ORDER#),
 * so a user, an e-mail guard or a status change never invokes this
 * function; the check below holds the same line should the filter change.
 *
 * Message (JSON): {"event": "order_placed", "username": "john",
 * "order": the order item as plain JSON}, with the subject "Order placed"
 * and the message attribute eventName=INSERT, so subscribers can filter.
 * A failed Publish (sns:Publish on the topic) fails the whole batch:
 * svcgen's event source mapping does not report batch item failures, so
 * Lambda retries the batch (3 times, as the spec says) before it discards
 * it; a subscriber may see an order twice (SNS delivers at least once
 * anyway), and OrderId tells them apart.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

/* The message for the new order of `rec`, or NULL when out of memory. */
static char *order_message(const lambda_stream_record *rec)
{
	const char *pk = lambda_attr_s(rec->new_image, "PK");
	cJSON *msg = cJSON_CreateObject();
	cJSON *order = lambda_ddb_item_to_plain(rec->new_image, NULL);
	char *text = NULL;
	if (msg && order && cJSON_AddStringToObject(msg, "event", "order_placed") &&
	    cJSON_AddStringToObject(msg, "username",
				    pk && !strncmp(pk, "CUSTOMER#", 9) ? pk + 9 : "") &&
	    cJSON_AddItemToObject(msg, "order", order)) {
		order = NULL;
		text = cJSON_PrintUnformatted(msg);
	}
	cJSON_Delete(order);
	cJSON_Delete(msg);
	return text;
}

int handle_stream_notify_order(const lambda_stream_batch *batch, lambda_batch_result *result,
	const lambda_context *ctx)
{
	const char *topic = getenv("TOPIC_ORDER_EVENTS"); /* ARN of SNS topic order_events */
	(void)result;
	(void)ctx;

	for (size_t i = 0; i < batch->count; i++) {
		const lambda_stream_record *rec = &batch->records[i];
		const char *sk = lambda_attr_s(rec->new_image, "SK");
		if (!rec->event_name || strcmp(rec->event_name, "INSERT") || !sk ||
		    strncmp(sk, "#ORDER#", 7)) {
			lambda_log_debug("record %s: not a new order, skipped", rec->sequence_number);
			continue;
		}
		char *message = order_message(rec);
		lambda_aws_error err = {0};
		static const lambda_sns_attribute attrs[] = {{"eventName", "String", "INSERT", 0}};
		lambda_sns_publish_opts opts = {.subject = "Order placed", .attributes = attrs,
						.attribute_count = 1};
		char *id = NULL;
		int rc = message ? lambda_sns_publish(&id, &err, NULL, topic, message, &opts) : LAMBDA_ENOMEM;
		if (rc == LAMBDA_OK)
			lambda_log_info("order %s published (message %s)", sk + 7, id);
		else
			lambda_log_error("order %s not published: %s %s", sk + 7,
					 lambda_aws_error_kind_name(err.kind), err.message);
		free(id);
		free(message);
		lambda_aws_error_free(&err);
		if (rc != LAMBDA_OK)
			return -1; /* the whole batch again: see the top of the file */
	}
	return 0;
}
