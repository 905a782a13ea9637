/*
 * app.c - the handler of function app: the whole application behind
 * `ANY /` and `ANY /{proxy+}`, routing by itself as a web framework's
 * front controller does.
 *
 *   GET  /              {"message": "Hello from proxy-app"}
 *   GET  /health        {"status": "ok"}
 *   GET  /hello/{name}  {"message": "Hello, <name>!"}
 *   POST /echo          {"echo": <the JSON body>}; 400 when it is not JSON
 *   a known path, another method   405 {"message": "method not allowed", ...}
 *                                  and an Allow header
 *   any other path                 404 {"message": "not found", "path": ...}
 *
 * The request path is the one API Gateway hands over (payload 1.0:
 * `path`, without the stage).  HEAD is answered like GET.
 *
 * Started from svcgen's scaffold; svcgen never overwrites it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

/* Answer {"<key>": text} with `status`. */
static int answer(lambda_response *res, int status, const char *key, const char *text)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, key, text)) {
		cJSON_Delete(o);
		return lambda_response_message(res, 500, "out of memory");
	}
	int rc = lambda_response_json(res, status, o);
	cJSON_Delete(o);
	return rc;
}

static int not_allowed(lambda_response *res, const char *allow, const char *method)
{
	cJSON *o = cJSON_CreateObject();
	char msg[128];
	snprintf(msg, sizeof(msg), "method %.20s not allowed", method);
	if (!o || !cJSON_AddStringToObject(o, "message", msg) ||
	    !cJSON_AddStringToObject(o, "allow", allow)) {
		cJSON_Delete(o);
		return lambda_response_message(res, 500, "out of memory");
	}
	int rc = lambda_response_json(res, 405, o);
	cJSON_Delete(o);
	if (rc == LAMBDA_OK)
		rc = lambda_response_header(res, "Allow", allow);
	return rc;
}

static int not_found(lambda_response *res, const char *path)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "message", "not found") ||
	    !cJSON_AddStringToObject(o, "path", path)) {
		cJSON_Delete(o);
		return lambda_response_message(res, 500, "out of memory");
	}
	int rc = lambda_response_json(res, 404, o);
	cJSON_Delete(o);
	return rc;
}

static int echo(const lambda_request *req, lambda_response *res)
{
	cJSON *body = lambda_request_json(req);
	if (!body)
		return answer(res, 400, "message", "the body must be JSON");
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		cJSON_Delete(body);
		return lambda_response_message(res, 500, "out of memory");
	}
	cJSON_AddItemToObject(o, "echo", body);
	int rc = lambda_response_json(res, 200, o);
	cJSON_Delete(o);
	return rc;
}

int handle_http_app(const lambda_request *req, lambda_response *res, const lambda_context *ctx)
{
	(void)ctx;
	const char *path = req->path && *req->path ? req->path : "/";
	const char *m = req->method ? req->method : "";
	bool get = !strcmp(m, "GET") || !strcmp(m, "HEAD");

	if (!strcmp(path, "/"))
		return get ? answer(res, 200, "message", "Hello from proxy-app")
			   : not_allowed(res, "GET, HEAD", m);
	if (!strcmp(path, "/health"))
		return get ? answer(res, 200, "status", "ok") : not_allowed(res, "GET, HEAD", m);
	if (!strncmp(path, "/hello/", 7) && path[7] && !strchr(path + 7, '/')) {
		if (!get)
			return not_allowed(res, "GET, HEAD", m);
		char msg[300];
		snprintf(msg, sizeof(msg), "Hello, %.250s!", path + 7);
		return answer(res, 200, "message", msg);
	}
	if (!strcmp(path, "/echo"))
		return !strcmp(m, "POST") ? echo(req, res) : not_allowed(res, "POST", m);
	return not_found(res, path);
}
