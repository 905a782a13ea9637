/*
 * proc.c - every process `svcgen local` starts (moto, make, the functions),
 * and the guarantee that none outlives it.
 *
 * Each child runs under a small reaper (a fork of svcgen that only makes
 * system calls): the reaper leads a process group of its own, asks the
 * kernel for SIGTERM when svcgen dies (PR_SET_PDEATHSIG, checked again
 * after setting it, so an early death is not missed), forks the real
 * program into its group, and when told to stop, when svcgen dies or when
 * the program ends, SIGKILLs the whole group: a program's own children are
 * gone with it too.  The program's exit status travels back over a pipe.
 *
 * PR_SET_PDEATHSIG fires when the forking *thread* ends, so every fork
 * happens on one supervisor thread that lives until everything stopped.
 * The same thread reaps.  Output (stdout and stderr) is read by one thread
 * per child and logged line by line with the child's prefix.
 */
#define _GNU_SOURCE /* memrchr, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "local_int.h"

typedef struct child {
	pid_t pgid;
	int status_fd;          /* read end: the program's waitpid status */
	local_exit_fn on_exit;
	void *ud;
	pthread_t reader;
	bool has_reader;
	struct child *next;
} child;

typedef struct spawn_req {
	const local_spawn *sp;
	pid_t result;
	bool done;
	struct spawn_req *next;
} spawn_req;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static pthread_t sup;
static bool sup_running, sup_stopping;
static child *children;
static spawn_req *requests;
/* Reader threads of children already reaped, joined at the end. */
static pthread_t *finished_readers;
static size_t finished_count, finished_cap;

typedef struct reader_arg {
	int fd;
	char prefix[96];
} reader_arg;

static void *reader_main(void *p)
{
	reader_arg *ra = p;
	char buf[8192];
	sg_buf line = SG_BUF_INIT;
	for (;;) {
		ssize_t n = read(ra->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sg_buf_put(&line, buf, (size_t)n);
		char *last = memrchr(line.ptr, '\n', line.len);
		if (last) {
			size_t whole = (size_t)(last - line.ptr);
			local_log_lines(ra->prefix, line.ptr, whole);
			memmove(line.ptr, last + 1, line.len - whole - 1);
			line.len -= whole + 1;
			line.ptr[line.len] = '\0';
		}
		if (line.len > 64 * 1024) { /* a line without end: flush it */
			local_log_lines(ra->prefix, line.ptr, line.len);
			sg_buf_clear(&line);
		}
	}
	if (line.len)
		local_log_lines(ra->prefix, line.ptr, line.len);
	sg_buf_free(&line);
	close(ra->fd);
	free(ra);
	return NULL;
}

/* ---- in the reaper (only async-signal-safe calls) --------------------------- */

static void reaper_term(int sig)
{
	(void)sig;
	kill(0, SIGKILL); /* the whole group, the reaper included */
}

static void write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		c += w;
		n -= (size_t)w;
	}
}

static void close_from(int lowfd)
{
	/* close_range(2) where the kernel has it; else one by one. */
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0u, 0u) == 0)
		return;
#endif
	for (int fd = lowfd; fd < 4096; fd++)
		close(fd);
}

static __attribute__((noreturn)) void reaper_main(const local_spawn *sp, pid_t parent,
						  int out_fd, int status_fd)
{
	setpgid(0, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = reaper_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) /* svcgen died before the line above */
		kill(0, SIGKILL);

	pid_t c = fork();
	if (c == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		for (int s = 1; s < 32; s++)
			sigaction(s, &sa, NULL);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out_fd, 1);
		dup2(out_fd, 2);
		close_from(3);
		if (sp->as_limit) {
			struct rlimit rl = {(rlim_t)sp->as_limit, (rlim_t)sp->as_limit};
			setrlimit(RLIMIT_AS, &rl);
		}
		if (sp->cwd && chdir(sp->cwd) != 0) {
			static const char m[] = "svcgen local: cannot enter the working directory\n";
			write_all(2, m, sizeof(m) - 1);
			_exit(127);
		}
		execve(sp->argv[0], (char *const *)sp->argv, (char *const *)sp->envp);
		static const char m[] = "svcgen local: cannot execute ";
		write_all(2, m, sizeof(m) - 1);
		write_all(2, sp->argv[0], strlen(sp->argv[0]));
		write_all(2, "\n", 1);
		_exit(127);
	}
	close(out_fd);
	int st = 127 << 8;
	if (c > 0)
		while (waitpid(c, &st, 0) < 0 && errno == EINTR)
			;
	write_all(status_fd, &st, sizeof(st));
	close(status_fd);
	kill(0, SIGKILL); /* whatever the program left behind, then the reaper */
	_exit(0);
}

/* ---- on the supervisor thread ---------------------------------------------------- */

static pid_t do_spawn(const local_spawn *sp)
{
	int out[2], st[2];
	if (pipe2(out, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(st, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		close(out[0]);
		close(st[0]);
		reaper_main(sp, parent, out[1], st[1]);
	}
	close(out[1]);
	close(st[1]);
	if (pid < 0) {
		close(out[0]);
		close(st[0]);
		return -1;
	}
	/* Also from here: the group exists before anyone signals it. */
	setpgid(pid, pid);
	child *ch = calloc(1, sizeof(*ch));
	reader_arg *ra = calloc(1, sizeof(*ra));
	if (!ch || !ra) {
		kill(-pid, SIGKILL);
		free(ch);
		free(ra);
		close(out[0]);
		close(st[0]);
		return -1;
	}
	ra->fd = out[0];
	snprintf(ra->prefix, sizeof(ra->prefix), "%s", sp->log_prefix ? sp->log_prefix : "");
	ch->pgid = pid;
	ch->status_fd = st[0];
	ch->on_exit = sp->on_exit;
	ch->ud = sp->ud;
	if (pthread_create(&ch->reader, NULL, reader_main, ra) == 0) {
		ch->has_reader = true;
	} else {
		close(out[0]);
		free(ra);
	}
	ch->next = children;
	children = ch;
	return pid;
}

static void reap(void)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		child **pp = &children, *ch = NULL;
		for (; *pp; pp = &(*pp)->next)
			if ((*pp)->pgid == pid) {
				ch = *pp;
				*pp = ch->next;
				break;
			}
		if (!ch)
			continue;
		/* The program's own status, when the reaper could tell it. */
		int prog = st;
		ssize_t n = read(ch->status_fd, &prog, sizeof(prog));
		if (n != (ssize_t)sizeof(prog))
			prog = st;
		close(ch->status_fd);
		if (ch->has_reader) {
			if (finished_count == finished_cap) {
				size_t cap = finished_cap ? finished_cap * 2 : 16;
				pthread_t *p = realloc(finished_readers, cap * sizeof(*p));
				if (p) {
					finished_readers = p;
					finished_cap = cap;
				}
			}
			if (finished_count < finished_cap)
				finished_readers[finished_count++] = ch->reader;
			else
				pthread_detach(ch->reader);
		}
		if (ch->on_exit) {
			pthread_mutex_unlock(&mu);
			ch->on_exit(ch->ud, pid, prog);
			pthread_mutex_lock(&mu);
		}
		free(ch);
	}
}

static void *supervisor_main(void *p)
{
	(void)p;
	pthread_mutex_lock(&mu);
	for (;;) {
		while (requests) {
			spawn_req *r = requests;
			requests = r->next;
			r->result = sup_stopping ? -1 : do_spawn(r->sp);
			r->done = true;
			pthread_cond_broadcast(&cv);
		}
		reap();
		if (sup_stopping && !children)
			break;
		struct timespec ts;
		local_deadline(&ts, 20);
		pthread_cond_timedwait(&cv, &mu, &ts);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int local_procs_start(void)
{
	pthread_mutex_lock(&mu);
	if (sup_running) {
		pthread_mutex_unlock(&mu);
		return 0;
	}
	local_cond_init(&cv);
	sup_stopping = false;
	int rc = pthread_create(&sup, NULL, supervisor_main, NULL);
	sup_running = rc == 0;
	pthread_mutex_unlock(&mu);
	return rc == 0 ? 0 : -1;
}

pid_t local_proc_spawn(const local_spawn *sp)
{
	spawn_req r = {sp, -1, false, NULL};
	pthread_mutex_lock(&mu);
	if (!sup_running || sup_stopping) {
		pthread_mutex_unlock(&mu);
		return -1;
	}
	spawn_req **pp = &requests;
	while (*pp)
		pp = &(*pp)->next;
	*pp = &r;
	pthread_cond_broadcast(&cv);
	while (!r.done)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return r.result;
}

void local_proc_kill(pid_t pgid)
{
	if (pgid > 0)
		kill(-pgid, SIGKILL);
}

typedef struct run_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
	int status;
} run_wait;

static void run_exit(void *ud, pid_t pid, int status)
{
	(void)pid;
	run_wait *w = ud;
	pthread_mutex_lock(&w->mu);
	w->done = true;
	w->status = status;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int local_proc_run(const local_spawn *sp, int64_t timeout_ms, volatile sig_atomic_t *stop)
{
	run_wait w;
	pthread_mutex_init(&w.mu, NULL);
	local_cond_init(&w.cv);
	w.done = false;
	w.status = -1;
	local_spawn s = *sp;
	s.on_exit = run_exit;
	s.ud = &w;
	pid_t pg = local_proc_spawn(&s);
	if (pg < 0) {
		pthread_cond_destroy(&w.cv);
		pthread_mutex_destroy(&w.mu);
		return -1;
	}
	int64_t end = timeout_ms ? local_mono_ms() + timeout_ms : 0;
	bool killed = false;
	pthread_mutex_lock(&w.mu);
	while (!w.done) {
		if (!killed && ((end && local_mono_ms() > end) || (stop && *stop))) {
			local_proc_kill(pg);
			killed = true;
		}
		struct timespec ts;
		local_deadline(&ts, 100);
		pthread_cond_timedwait(&w.cv, &w.mu, &ts);
	}
	int status = killed ? -1 : w.status;
	pthread_mutex_unlock(&w.mu);
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	return status;
}

void local_procs_stop(void)
{
	pthread_mutex_lock(&mu);
	if (!sup_running) {
		pthread_mutex_unlock(&mu);
		return;
	}
	sup_stopping = true;
	for (child *c = children; c; c = c->next)
		kill(-c->pgid, SIGKILL);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(sup, NULL);
	pthread_mutex_lock(&mu);
	sup_running = false;
	for (size_t i = 0; i < finished_count; i++)
		pthread_join(finished_readers[i], NULL);
	free(finished_readers);
	finished_readers = NULL;
	finished_count = finished_cap = 0;
	pthread_mutex_unlock(&mu);
}
