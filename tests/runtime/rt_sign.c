/*
 * rt_sign.c - prints the Authorization header the runtime's signer
 * (lambda_aws_sigv4) makes for a POST to "/", for the signing comparison
 * with botocore (tests/handlers/aws_moto.py):
 *
 *   rt_sign SERVICE REGION KEY SECRET AMZ_DATE BODY "Name: value"...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_aws.h"
#include "rt_test.h"

int main(int argc, char **argv)
{
	if (argc < 8) {
		fprintf(stderr, "usage: rt_sign SERVICE REGION KEY SECRET AMZ_DATE BODY HEADER...\n");
		return 2;
	}
	size_t n = (size_t)argc - 7;
	lambda_aws_header *h = calloc(n, sizeof(*h));
	char **copies = calloc(n, sizeof(*copies));
	if (!h || !copies)
		return 1;
	for (size_t i = 0; i < n; i++) {
		copies[i] = strdup(argv[7 + i]);
		char *colon = strchr(copies[i], ':');
		if (!colon)
			return 2;
		*colon = '\0';
		h[i].name = copies[i];
		h[i].value = colon + 1 + strspn(colon + 1, " ");
	}
	char *auth = NULL;
	int rc = lambda_aws_sigv4(&auth, "POST", "/", "", h, n, argv[6], strlen(argv[6]), argv[5],
				  argv[2], argv[1], argv[3], argv[4]);
	if (rc == LAMBDA_OK)
		printf("%s\n", auth);
	free(auth);
	for (size_t i = 0; i < n; i++)
		free(copies[i]);
	free(copies);
	free(h);
	return rc == LAMBDA_OK ? 0 : 1;
}
