/*
 * rt_test.h - included once by each runtime test program
 * (tests/runtime/test_rt_*.c): the service configuration a generated
 * project's runtime/lambda_config.c would define.
 */
#ifndef RT_TEST_H
#define RT_TEST_H

#include "lambda_runtime.h"

const lambda_config lambda_service_config = {
	.service = "test",
	.payload_version = 1,
	.cors_origins = NULL,
	.cors_credentials = false,
};

#endif
