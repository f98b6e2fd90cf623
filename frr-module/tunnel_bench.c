// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunnel_bench: the cost of STAMP probing, measured on loopback.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * One process runs N Session-Senders (tunneld's prober, shared sockets and
 * all), another tunneld's Session-Reflector; each probe session sends one
 * test packet per second to its own 127/8 address.  After a warm-up the
 * benchmark measures, over a fixed time, the CPU time of each process (as
 * a share of one core), the sender's memory per session (resident set
 * growth divided by N) and how many probes were answered, and prints them.
 * It is a benchmark, not a test: it prints figures and fails only if the
 * probes were not answered.
 *
 * usage: tunnel_bench SESSIONS [SECONDS]
 */
#include <zebra.h>

#include <sys/resource.h>
#include <sys/wait.h>

#include "lib/frrevent.h"
#include "lib/privs.h"
#include "lib/vrf.h"

#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_probe.h"
#include "tunneld/tunnel_reflector.h"
#include "tunneld/tunneld.h"

#define BENCH_PORT   8620
#define WARMUP_S     3

struct event_loop *master;
struct zebra_privs_t tunnel_privs;

static bool done;

static void stop(struct event *e)
{
	done = true;
}

static void run_for(unsigned int seconds)
{
	struct event thread;
	struct event *t_stop = NULL;

	done = false;
	event_add_timer(master, stop, NULL, seconds, &t_stop);
	while (!done && event_fetch(master, &thread))
		event_call(&thread);
}

/* Resident set size in bytes, from /proc. */
static long rss_bytes(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/* User + system CPU seconds of a process, from /proc/PID/stat. */
static double cpu_seconds(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long utime, stime;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	/* Fields after the command name, which may hold spaces. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
			 &stime) != 2)
		return -1;
	return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

static void setup(const char *name)
{
	master = event_master_create(name);
	zprivs_preinit(&tunnel_privs);
	zprivs_init(&tunnel_privs);
	vrf_init(NULL, NULL, NULL, NULL);
}

static int reflector(void)
{
	setup("bench-reflector");
	tunneld_globals.reflector.enable = true;
	tunneld_globals.reflector.port = BENCH_PORT;
	tunneld_globals.reflector.all_interfaces = true;
	tunnel_reflector_init(master);
	tunnel_reflector_update();
	run_for(3600);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	unsigned int secs = argc > 2 ? strtoul(argv[2], NULL, 10) : 20;
	struct tunnel_prober **probers;
	struct tunnel_prober_cfg cfg = {};
	double cpu0, cpu1, rcpu0, rcpu1;
	uint64_t recv0 = 0, recv1 = 0, sent0 = 0, sent1 = 0;
	long rss0, rss1;
	pid_t child;
	int status;

	if (n < 1 || n > 60000 || secs < 5) {
		fprintf(stderr, "usage: %s SESSIONS(1..60000) [SECONDS(>=5)]\n", argv[0]);
		return 2;
	}
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0)
		return reflector();

	setup("bench-sender");
	tunnel_probe_init(master);
	probers = calloc(n, sizeof(*probers));
	cfg.mode = TUNNEL_PROBE_STAMP;
	cfg.port = BENCH_PORT;
	cfg.vrf_id = VRF_DEFAULT;
	cfg.ifindex = 1; /* lo */
	cfg.timing = (struct tunnel_probe_timing){
		.interval_ms = 1000, .window = 30, .timeout_ms = 2000, .miss_count = 3, .size = 44,
	};
	cfg.alpha = 0.25;
	run_for(1); /* the reflector binds meanwhile */
	rss0 = rss_bytes(getpid());
	for (unsigned int i = 0; i < n; i++) {
		/* A far end of its own per session: 127.1.0.1 and up. */
		SET_IPADDR_V4(&cfg.dst);
		cfg.dst.ipaddr_v4.s_addr = htonl(0x7f010001 + i);
		probers[i] = tunnel_prober_new(&cfg, NULL, NULL);
	}
	run_for(WARMUP_S);
	for (unsigned int i = 0; i < n; i++) {
		sent0 += tunnel_quality_counters(&probers[i]->q)->sent;
		recv0 += tunnel_quality_counters(&probers[i]->q)->received;
	}
	cpu0 = cpu_seconds(getpid());
	rcpu0 = cpu_seconds(child);
	run_for(secs);
	cpu1 = cpu_seconds(getpid());
	rcpu1 = cpu_seconds(child);
	rss1 = rss_bytes(getpid());
	for (unsigned int i = 0; i < n; i++) {
		sent1 += tunnel_quality_counters(&probers[i]->q)->sent;
		recv1 += tunnel_quality_counters(&probers[i]->q)->received;
	}
	kill(child, SIGTERM);
	waitpid(child, &status, 0);

	printf("stamp-bench sessions=%u seconds=%u probes_sent=%" PRIu64 " replies=%" PRIu64
	       " sender_cpu_pct=%.2f reflector_cpu_pct=%.2f sender_bytes_per_session=%ld\n",
	       n, secs, sent1 - sent0, recv1 - recv0, 100.0 * (cpu1 - cpu0) / secs,
	       100.0 * (rcpu1 - rcpu0) / secs, (rss1 - rss0) / (long)n);
	/* The figures mean nothing if the probes were not answered. */
	return (recv1 - recv0) * 100 >= (sent1 - sent0) * 95 ? 0 : 1;
}
