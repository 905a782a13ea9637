/*
 * bench_time.c - run a command several times; print the median wall time
 * and the largest peak RSS of its runs.  Prints figures; asserts nothing.
 *
 *   bench_time RUNS [-d PREFIX] -- COMMAND ARG...
 *
 * With -d, each "{}" in the arguments becomes PREFIX.N, a directory no run
 * has used (N = 1..RUNS): every run writes into a fresh directory, and no
 * deletion between runs (whose discards and journal commits would land
 * in the next run's time) is measured.  Output, one line:
 *
 *   median_ms=12.3 min_ms=11.0 max_ms=15.2 peak_rss_kib=8972 user_ms=9.1 sys_ms=2.0
 *
 * user_ms and sys_ms are the CPU times of the fastest run (on a shared
 * machine the wall time includes waiting for a core; these do not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		goto usage;
	int runs = atoi(argv[1]);
	const char *prefix = NULL;
	int i = 2;
	if (!strcmp(argv[i], "-d") && i + 1 < argc) {
		prefix = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "--") || runs < 1)
		goto usage;
	char **cmd = argv + i + 1;
	int n = argc - i - 1;
	if (n < 1)
		goto usage;
	double *t = calloc((size_t)runs, sizeof(*t));
	long peak = 0;
	double best = -1, best_user = 0, best_sys = 0;
	for (int r = 0; r < runs; r++) {
		char **args = calloc((size_t)n + 1, sizeof(*args));
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s.%d", prefix ? prefix : "", r + 1);
		for (int k = 0; k < n; k++)
			args[k] = prefix && !strcmp(cmd[k], "{}") ? dir : cmd[k];
		double t0 = now_ms();
		pid_t pid = fork();
		if (pid == 0) {
			if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
				_exit(127);
			execvp(args[0], args);
			_exit(127);
		}
		int status;
		struct rusage ru;
		if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
			perror("bench_time");
			return 2;
		}
		t[r] = now_ms() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench_time: %s failed (status %d)\n", args[0], status);
			return 1;
		}
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
		if (best < 0 || t[r] < best) {
			best = t[r];
			best_user = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
			best_sys = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
		}
		free(args);
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	double med = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
	printf("median_ms=%.1f min_ms=%.1f max_ms=%.1f peak_rss_kib=%ld user_ms=%.1f sys_ms=%.1f\n",
	       med, t[0], t[runs - 1], peak, best_user, best_sys);
	free(t);
	return 0;
usage:
	fputs("usage: bench_time RUNS [-d PREFIX] -- COMMAND ARG...\n", stderr);
	return 2;
}
