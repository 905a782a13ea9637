/*
 * http.c - the HTTP servers of `svcgen local` (API front, proxy, Runtime
 * APIs), over libmicrohttpd with a thread per connection, so a handler may
 * block until a function answers.
 *
 * The raw request target is taken from MHD's URI log callback, before MHD
 * decodes anything: API Gateway events and SigV4 both need the path and
 * query exactly as sent.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "local_int.h"

struct local_http {
	struct MHD_Daemon *d;
	unsigned port;
	size_t max_body;
	local_http_handler handler;
	void *ud;
};

/* One request in progress. */
typedef struct conn {
	sg_arena *arena;
	char *uri;
	sg_buf body;
	bool too_large;
	sg_sigv4_header *headers;
	size_t header_count, header_cap;
} conn;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	conn *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->arena = sg_arena_new();
	x->uri = sg_arena_strdup(x->arena, uri ? uri : "/");
	return x;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	conn *x = *con_cls;
	if (!x)
		return;
	sg_buf_free(&x->body);
	sg_arena_free(x->arena);
	free(x);
	*con_cls = NULL;
}

static enum MHD_Result on_header(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	(void)kind;
	conn *x = cls;
	if (x->header_count == x->header_cap) {
		size_t cap = x->header_cap ? x->header_cap * 2 : 16;
		x->headers = sg_arena_grow(x->arena, x->headers, x->header_count, cap,
					   sizeof(*x->headers));
		x->header_cap = cap;
	}
	x->headers[x->header_count].name = sg_arena_strdup(x->arena, key);
	x->headers[x->header_count++].value = sg_arena_strdup(x->arena, value ? value : "");
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	local_http *s = cls;
	conn *x = *con_cls;
	if (!x)
		return MHD_NO;
	(void)url;
	if (*upload_size) {
		if (x->body.len + *upload_size > s->max_body)
			x->too_large = true;
		else
			sg_buf_put(&x->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	/* The first call has the headers only; the body (if any) follows. */
	if (!x->header_cap) {
		MHD_get_connection_values(c, MHD_HEADER_KIND, on_header, x);
		if (!x->header_cap)
			x->header_cap = 1; /* marks "headers read" */
		return MHD_YES;
	}

	sg_gw_request req;
	memset(&req, 0, sizeof(req));
	req.method = method;
	char *q = strchr(x->uri, '?');
	if (q) {
		*q = '\0';
		req.query = q + 1;
	} else {
		req.query = "";
	}
	/* Strip a fragment, never sent by conforming clients. */
	char *frag = strchr(req.query, '#');
	if (frag)
		*frag = '\0';
	req.path = x->uri;
	req.headers = x->headers;
	req.header_count = x->header_count;
	if (x->too_large) {
		req.body = NULL;
		req.body_len = SIZE_MAX;
	} else {
		req.body = x->body.ptr ? x->body.ptr : "";
		req.body_len = x->body.len;
	}
	req.protocol = version;
	char ip[INET6_ADDRSTRLEN] = "127.0.0.1";
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof(ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip,
				  sizeof(ip));
	}
	req.source_ip = ip;

	sg_gw_response resp;
	memset(&resp, 0, sizeof(resp));
	resp.status = 500;
	s->handler(s->ud, x->arena, &req, &resp);

	struct MHD_Response *r = MHD_create_response_from_buffer(
		resp.body_len, (void *)(resp.body ? resp.body : ""), MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	for (size_t i = 0; i < resp.header_count; i++) {
		/* MHD computes Content-Length itself. */
		if (!strcasecmp(resp.headers[i].key, "Content-Length"))
			continue;
		MHD_add_response_header(r, resp.headers[i].key, resp.headers[i].value);
	}
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)resp.status, r);
	MHD_destroy_response(r);
	return rc;
}

int local_http_start(local_http **out, const char *host, unsigned port, size_t max_body,
		     local_http_handler handler, void *ud, char *err, size_t err_len)
{
	*out = NULL;
	local_http *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	s->max_body = max_body;
	s->handler = handler;
	s->ud = ud;
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		snprintf(err, err_len, "'%s' is not an IPv4 address", host);
		free(s);
		return -1;
	}
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
				(uint16_t)port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
				(struct sockaddr *)&addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
				MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)256 * 1024,
				MHD_OPTION_LISTEN_BACKLOG_SIZE, 128u, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, err_len, "cannot listen on %s:%u (in use, or not allowed)", host, port);
		free(s);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : port;
	*out = s;
	return 0;
}

unsigned local_http_port(const local_http *s)
{
	return s ? s->port : 0;
}

void local_http_stop(local_http *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
