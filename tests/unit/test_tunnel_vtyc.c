// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Tests of core/tunnel_vtyc.c against a fake daemon on a unix socket in a
 * mkdtemp() directory.  Two kinds of fake:
 *  - in-process, in lock step with the client (the test accepts, reads
 *    the command, writes the reply piece by piece, then calls on_readable):
 *    deterministic read boundaries, down to one byte per read;
 *  - a forked child running a script, the client driven by a poll() loop
 *    as the daemon's event loop would.
 * Nothing blocks without a timeout: poll() waits at most 2 s, the child
 * dies by alarm() after 5 s, and teardown kills and reaps it.
 */
#define _DEFAULT_SOURCE /* with -std=c11: mkdtemp, kill, strnlen */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "tunnel_vtyc.h"

#define POLL_MS 2000

/* What a callback saw, and what it does to the connection. */
enum rec_act {
	ACT_NONE,
	ACT_NEXT_BATCH, /* start rec.next */
	ACT_CLOSE,
	ACT_CLOSE_RECONNECT, /* close (again), try a batch, connect */
};

struct rec {
	int calls;
	int status;
	int index;
	const char *output;
	size_t output_len;
	bool truncated;
	char out[512];
	enum tunnel_vtyc_state state;
	int fd;

	enum rec_act act;
	const char *const *next;
	size_t next_n;
	int act_ret, act_ret2;
	bool out_kept; /* output unchanged after the action */
};

struct fake {
	char dir[64];
	char path[96];
	int lfd;
	int sfd; /* in-process: the accepted socket */
	pid_t pid;
	int logfd;
	char log[4096];
	struct rec rec;
	struct tunnel_vtyc c;
};

static void rec_cb(struct tunnel_vtyc *c, const struct tunnel_vtyc_result *res, void *arg)
{
	struct rec *r = arg;

	r->calls++;
	r->status = res->status;
	r->index = res->index;
	r->output = res->output;
	r->output_len = res->output_len;
	r->truncated = res->truncated;
	assert_int_equal(strlen(res->output), res->output_len);
	snprintf(r->out, sizeof(r->out), "%s", res->output);
	r->state = tunnel_vtyc_state(c);
	r->fd = tunnel_vtyc_fd(c);

	switch (r->act) {
	case ACT_NONE:
		return;
	case ACT_NEXT_BATCH:
		r->act = ACT_NONE;
		r->act_ret = tunnel_vtyc_batch_start(c, r->next, r->next_n, rec_cb, r);
		break;
	case ACT_CLOSE:
		r->act = ACT_NONE;
		tunnel_vtyc_close(c);
		break;
	case ACT_CLOSE_RECONNECT: {
		static const char *const cmd[] = { "show version" };

		r->act = ACT_NONE;
		tunnel_vtyc_close(c); /* already closed: a no-op, no second callback */
		r->act_ret = tunnel_vtyc_batch_start(c, cmd, 1, rec_cb, r);
		r->act_ret2 = tunnel_vtyc_connect(c);
		break;
	}
	}
	r->out_kept = strncmp(res->output, r->out, sizeof(r->out) - 1) == 0 &&
		      res->output_len == r->output_len;
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	if (!f)
		return -1;
	f->lfd = f->sfd = f->logfd = -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vtyc.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/ospfd.vty", f->dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", f->path);
	f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(f->lfd, 5) < 0)
		return -1;
	if (tunnel_vtyc_init(&f->c, f->path) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	f->rec.act = ACT_NONE;
	tunnel_vtyc_close(&f->c);
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
	}
	if (f->sfd >= 0)
		close(f->sfd);
	if (f->lfd >= 0)
		close(f->lfd);
	if (f->logfd >= 0)
		close(f->logfd);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- the in-process fake ---- */

static void srv_accept(struct fake *f)
{
	struct pollfd p = { .fd = f->lfd, .events = POLLIN };

	assert_int_equal(poll(&p, 1, POLL_MS), 1);
	if (f->sfd >= 0)
		close(f->sfd);
	f->sfd = accept(f->lfd, NULL, NULL);
	assert_true(f->sfd >= 0);
	assert_int_equal(fcntl(f->sfd, F_SETFL, O_NONBLOCK), 0);
}

static void connect_accept(struct fake *f)
{
	assert_int_equal(tunnel_vtyc_connect(&f->c), 0);
	assert_int_equal(tunnel_vtyc_state(&f->c), TUNNEL_VTYC_IDLE);
	assert_true(tunnel_vtyc_fd(&f->c) >= 0);
	srv_accept(f);
}

/* Read one NUL-terminated command, byte by byte so nothing after it is taken. */
static void srv_cmd(struct fake *f, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		struct pollfd p = { .fd = f->sfd, .events = POLLIN };
		ssize_t n;

		assert_int_equal(poll(&p, 1, POLL_MS), 1);
		n = read(f->sfd, buf + len, 1);
		assert_int_equal(n, 1);
		if (buf[len] == '\0')
			return;
		len++;
		assert_true(len < size);
	}
}

/* Nothing more was sent by the client. */
static void srv_nothing(struct fake *f)
{
	char ch;

	assert_int_equal(recv(f->sfd, &ch, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
}

static void srv_send(struct fake *f, const void *data, size_t len)
{
	assert_int_equal(send(f->sfd, data, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* The client sends its next command: it must be `want`. */
static void expect_cmd(struct fake *f, const char *want)
{
	char buf[2048];

	assert_int_equal(tunnel_vtyc_state(&f->c), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(tunnel_vtyc_on_writable(&f->c), TUNNEL_VTYC_WANT_READ);
	srv_cmd(f, buf, sizeof(buf));
	assert_string_equal(buf, want);
	srv_nothing(f);
}

/* Reply to a command in one piece; returns what on_readable returned. */
static enum tunnel_vtyc_state reply(struct fake *f, const char *text, uint8_t status)
{
	char term[4] = { 0, 0, 0, (char)status };

	srv_send(f, text, strlen(text));
	srv_send(f, term, sizeof(term));
	return tunnel_vtyc_on_readable(&f->c);
}

static enum tunnel_vtyc_state step(struct fake *f, const char *cmd, const char *text,
				   uint8_t status)
{
	expect_cmd(f, cmd);
	return reply(f, text, status);
}

/* ---- the forked fake: a scripted daemon ---- */

#define NEWCONN	   { NULL, NULL, 0 } /* close the connection, accept the next */
#define CLOSE_NOW  (-1) /* step.status: close instead of replying */
#define CLOSE_HALF (-2) /* step.status: send half the reply, then close */

struct dstep {
	const char *expect;
	const char *reply;
	int status;
};

static bool child_send(int fd, const void *p, size_t len)
{
	return send(fd, p, len, MSG_NOSIGNAL) == (ssize_t)len;
}

static ssize_t child_cmd(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, POLL_MS) != 1 || read(fd, buf + len, 1) != 1)
			return -1;
		if (buf[len] == '\0')
			return (ssize_t)len;
		len++;
	}
	return -1;
}

/* Exit codes: 0 script done, 2 accept failed, 20+i no command, 40+i wrong command. */
static void daemon_main(int lfd, int logfd, const struct dstep *steps, size_t n)
{
	char cmd[2048];
	int fd;

	alarm(5);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		_exit(2);
	for (size_t i = 0; i < n; i++) {
		const struct dstep *s = &steps[i];
		char term[4] = { 0, 0, 0, 0 };
		size_t len;
		ssize_t clen;

		if (!s->expect) {
			if (fd >= 0)
				close(fd);
			fd = accept(lfd, NULL, NULL);
			if (fd < 0)
				_exit(2);
			continue;
		}
		clen = child_cmd(fd, cmd, sizeof(cmd));
		if (clen < 0)
			_exit(20 + (int)i);
		if (write(logfd, cmd, (size_t)clen) != clen || write(logfd, "\n", 1) != 1)
			_exit(3);
		if (strcmp(cmd, s->expect) != 0)
			_exit(40 + (int)i);
		len = strlen(s->reply);
		if (s->status == CLOSE_NOW || s->status == CLOSE_HALF) {
			if (s->status == CLOSE_HALF && !child_send(fd, s->reply, len / 2))
				_exit(4);
			close(fd);
			fd = -1;
			continue;
		}
		/* Text, then the terminator in two pieces, as separate writes. */
		term[3] = (char)s->status;
		if ((len && !child_send(fd, s->reply, len)) || !child_send(fd, term, 2) ||
		    !child_send(fd, term + 2, 2))
			_exit(5);
	}
	/* Hold the session open until the client closes it. */
	if (fd >= 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		while (poll(&p, 1, POLL_MS) == 1 && read(fd, cmd, sizeof(cmd)) > 0)
			;
	}
	_exit(0);
}

static void start_daemon(struct fake *f, const struct dstep *steps, size_t n)
{
	int pfd[2];

	assert_int_equal(pipe(pfd), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		close(pfd[0]);
		daemon_main(f->lfd, pfd[1], steps, n);
	}
	close(pfd[1]);
	f->logfd = pfd[0];
}

/* Close the client, reap the daemon (it must have run its whole script), read its log. */
static void end_daemon(struct fake *f)
{
	size_t len = 0;
	ssize_t n;
	int st;

	tunnel_vtyc_close(&f->c);
	assert_int_equal(waitpid(f->pid, &st, 0), f->pid);
	f->pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	while ((n = read(f->logfd, f->log + len, sizeof(f->log) - 1 - len)) > 0)
		len += (size_t)n;
	f->log[len] = '\0';
}

/* The daemon's event loop: poll as the client asks until it is idle or closed. */
static enum tunnel_vtyc_state drive(struct fake *f)
{
	for (int i = 0; i < 10000; i++) {
		enum tunnel_vtyc_state st = tunnel_vtyc_state(&f->c);
		struct pollfd p = { .fd = tunnel_vtyc_fd(&f->c) };

		switch (st) {
		case TUNNEL_VTYC_CLOSED:
		case TUNNEL_VTYC_IDLE:
			return st;
		case TUNNEL_VTYC_WANT_WRITE:
			p.events = POLLOUT;
			break;
		case TUNNEL_VTYC_WANT_READ:
			p.events = POLLIN;
			break;
		}
		assert_int_equal(poll(&p, 1, POLL_MS), 1);
		if (st == TUNNEL_VTYC_WANT_WRITE)
			tunnel_vtyc_on_writable(&f->c);
		else
			tunnel_vtyc_on_readable(&f->c);
	}
	fail_msg("client did not settle");
	return TUNNEL_VTYC_CLOSED;
}

static const char *const ospf_cost[] = {
	"configure terminal", "interface gre1", "ip ospf cost 37", "end",
};

/* ---- tests ---- */

static void test_args(void **state)
{
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;
	char longpath[200];
	char longcmd[TUNNEL_VTYC_CMD_MAX + 2];
	const char *cmds[TUNNEL_VTYC_BATCH_MAX + 1];
	const char *one[] = { "show version" };

	assert_int_equal(tunnel_vtyc_init(NULL, "/x"), -EINVAL);
	assert_int_equal(tunnel_vtyc_init(c, NULL), -EINVAL);
	assert_int_equal(tunnel_vtyc_connect(c), -EINVAL);
	assert_int_equal(tunnel_vtyc_init(c, ""), -EINVAL);
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	longpath[TUNNEL_VTYC_PATH_MAX] = '\0'; /* 108 characters: no room for the NUL */
	assert_int_equal(tunnel_vtyc_init(c, longpath), -ENAMETOOLONG);
	assert_int_equal(tunnel_vtyc_connect(c), -EINVAL);
	longpath[TUNNEL_VTYC_PATH_MAX - 1] = '\0'; /* 107 fit */
	assert_int_equal(tunnel_vtyc_init(c, longpath), 0);
	assert_int_equal(tunnel_vtyc_connect(c), -ENOENT);

	assert_int_equal(tunnel_vtyc_init(c, f->path), 0);
	assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_fd(c), -1);
	assert_int_equal(tunnel_vtyc_last_error(c), 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, one, 1, NULL, NULL), -ENOTCONN);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_on_writable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_timeout(c), TUNNEL_VTYC_CLOSED);
	tunnel_vtyc_close(c);
	tunnel_vtyc_close(NULL);
	assert_int_equal(tunnel_vtyc_state(NULL), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_fd(NULL), -1);
	assert_int_equal(tunnel_vtyc_last_error(NULL), -EINVAL);
	assert_int_equal(tunnel_vtyc_on_readable(NULL), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_on_writable(NULL), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_timeout(NULL), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_connect(NULL), -EINVAL);

	connect_accept(f);
	assert_int_equal(tunnel_vtyc_connect(c), -EISCONN);

	/* Refused batches change nothing. */
	assert_int_equal(tunnel_vtyc_batch_start(NULL, one, 1, NULL, NULL), -EINVAL);
	assert_int_equal(tunnel_vtyc_batch_start(c, NULL, 1, NULL, NULL), -EINVAL);
	assert_int_equal(tunnel_vtyc_batch_start(c, one, 0, NULL, NULL), -EINVAL);
	cmds[0] = "show version";
	cmds[1] = NULL;
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, NULL, NULL), -EINVAL);
	cmds[1] = "";
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, NULL, NULL), -EINVAL);
	cmds[1] = "show version\nwrite memory"; /* would be two commands to FRR */
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, NULL, NULL), -EINVAL);
	cmds[1] = "show\tversion";
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, NULL, NULL), -EINVAL);
	memset(longcmd, 'x', sizeof(longcmd));
	longcmd[TUNNEL_VTYC_CMD_MAX + 1] = '\0';
	cmds[1] = longcmd;
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, NULL, NULL), -E2BIG);
	for (size_t i = 0; i < TUNNEL_VTYC_BATCH_MAX + 1; i++)
		cmds[i] = "show version";
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, TUNNEL_VTYC_BATCH_MAX + 1, NULL, NULL),
			 -E2BIG);
	/* 8 commands of 1023 + NUL = 8192 bytes fit exactly; one more byte does not. */
	longcmd[TUNNEL_VTYC_CMD_MAX] = '\0';
	for (size_t i = 0; i < 8; i++)
		cmds[i] = longcmd;
	cmds[8] = "x";
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 9, NULL, NULL), -E2BIG);
	assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_IDLE);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 8, NULL, NULL), 0);
	assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(tunnel_vtyc_batch_start(c, one, 1, NULL, NULL), -EBUSY);
	/* Nothing is sent before on_writable. */
	srv_nothing(f);
	/* A NULL callback is fine. */
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(step(f, longcmd, "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, longcmd, "", 0), TUNNEL_VTYC_IDLE);
	/* on_writable when not sending is a no-op. */
	assert_int_equal(tunnel_vtyc_on_writable(c), TUNNEL_VTYC_IDLE);
	srv_nothing(f);

	assert_string_equal(tunnel_vtyc_status_str(0), "CMD_SUCCESS");
	assert_string_equal(tunnel_vtyc_status_str(2), "CMD_ERR_NO_MATCH");
	assert_string_equal(tunnel_vtyc_status_str(13), "CMD_WARNING_CONFIG_FAILED");
	assert_string_equal(tunnel_vtyc_status_str(16), "CMD_ERR_NO_DAEMON");
	assert_string_equal(tunnel_vtyc_status_str(17), "CMD_UNKNOWN");
	assert_string_equal(tunnel_vtyc_status_str(255), "CMD_UNKNOWN");
	assert_string_equal(tunnel_vtyc_status_str(-ECONNRESET), "ECONNRESET");
	assert_string_equal(tunnel_vtyc_status_str(-ETIMEDOUT), "ETIMEDOUT");
	assert_string_equal(tunnel_vtyc_status_str(-EIO), "EOTHER");
	assert_string_equal(tunnel_vtyc_status_str(INT32_MIN), "EOTHER");
}

/* No daemon: connect fails cleanly and can be retried. */
static void test_connect_fails(void **state)
{
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	/* The socket file is there but nobody listens: ECONNREFUSED. */
	close(f->lfd);
	f->lfd = -1;
	assert_int_equal(tunnel_vtyc_connect(c), -ECONNREFUSED);
	assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_fd(c), -1);
	assert_int_equal(tunnel_vtyc_last_error(c), -ECONNREFUSED);

	/* No socket file: ENOENT. */
	unlink(f->path);
	assert_int_equal(tunnel_vtyc_connect(c), -ENOENT);
	assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_fd(c), -1);
	assert_int_equal(tunnel_vtyc_last_error(c), -ENOENT);
	assert_int_equal(tunnel_vtyc_connect(c), -ENOENT);
	assert_int_equal(f->rec.calls, 0);
}

/* Every byte of every reply in its own read. */
static void test_byte_by_byte(void **state)
{
	static const char *const cmds[] = { "show version" };
	static const char r_enable[4] = { 0, 0, 0, 0 };
	static const char r_show[] = "FRRouting 10.3\n\0\0\0"; /* + the implicit NUL as status */
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	connect_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 1, rec_cb, &f->rec), 0);

	expect_cmd(f, "enable");
	for (size_t i = 0; i < sizeof(r_enable); i++) {
		srv_send(f, &r_enable[i], 1);
		assert_int_equal(tunnel_vtyc_on_readable(c),
				 i + 1 < sizeof(r_enable) ? TUNNEL_VTYC_WANT_READ
							  : TUNNEL_VTYC_WANT_WRITE);
		/* A second call with nothing to read changes nothing. */
		assert_int_equal(tunnel_vtyc_on_readable(c),
				 i + 1 < sizeof(r_enable) ? TUNNEL_VTYC_WANT_READ
							  : TUNNEL_VTYC_WANT_WRITE);
	}
	expect_cmd(f, "show version");
	for (size_t i = 0; i < sizeof(r_show); i++) {
		assert_int_equal(f->rec.calls, 0);
		srv_send(f, &r_show[i], 1);
		assert_int_equal(tunnel_vtyc_on_readable(c), i + 1 < sizeof(r_show)
								     ? TUNNEL_VTYC_WANT_READ
								     : TUNNEL_VTYC_IDLE);
	}
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, 0);
	assert_int_equal(f->rec.index, 0);
	assert_string_equal(f->rec.out, "FRRouting 10.3\n");
	assert_int_equal(f->rec.output_len, 15);
	assert_false(f->rec.truncated);
	assert_int_equal(f->rec.state, TUNNEL_VTYC_IDLE);
	srv_nothing(f);
}

/* The terminator and status split at every place, status 0 looking like a 4th NUL. */
static void test_terminator_split(void **state)
{
	/* Pieces of one reply each; status: the last byte. */
	static const struct {
		const char *pieces[5];
		size_t lens[5];
		uint8_t status;
		const char *text;
	} cases[] = {
		{ { "ok\0", "\0", "\0", "\x02" }, { 3, 1, 1, 1 }, 2, "ok" },
		{ { "ok", "\0\0", "\0\x01" }, { 2, 2, 2 }, 1, "ok" },
		{ { "ok\0\0\0", "\x0d" }, { 5, 1 }, 13, "ok" },
		{ { "o", "k\0\0\0\0" }, { 1, 5 }, 0, "ok" },
		{ { "", "\0\0\0", "\0" }, { 0, 3, 1 }, 0, "" },
		{ { "\0", "\0", "\0", "\0" }, { 1, 1, 1, 1 }, 0, "" },
		{ { "a\nb\n\0\0\0\xff" }, { 8 }, 255, "a\nb\n" },
	};
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;
	static const char *const cmds[] = { "enable", "show ip ospf" };

	connect_accept(f);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		f->rec.calls = 0;
		/* The caller's own `enable`: no second one is added. */
		assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, rec_cb, &f->rec), 0);
		assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
		expect_cmd(f, "show ip ospf");
		for (size_t p = 0; p < 5 && cases[k].pieces[p]; p++) {
			bool last = p + 1 == 5 || !cases[k].pieces[p + 1];

			if (cases[k].lens[p])
				srv_send(f, cases[k].pieces[p], cases[k].lens[p]);
			assert_int_equal(tunnel_vtyc_on_readable(c),
					 last ? TUNNEL_VTYC_IDLE : TUNNEL_VTYC_WANT_READ);
		}
		assert_int_equal(f->rec.calls, 1);
		assert_int_equal(f->rec.status, cases[k].status);
		assert_int_equal(f->rec.index, 1);
		assert_string_equal(f->rec.out, cases[k].text);
		assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_IDLE);
	}
}

/*
 * Reply with len pattern bytes and the terminator, letting the client read
 * whenever the socket is full (the reply is bigger than its buffer).
 */
static void pump_reply(struct fake *f, size_t len, uint8_t status)
{
	char *buf = malloc(len + 4);
	size_t sent = 0;

	assert_non_null(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('A' + i % 26);
	memset(buf + len, 0, 3);
	buf[len + 3] = (char)status;
	while (sent < len + 4) {
		ssize_t w = send(f->sfd, buf + sent, len + 4 - sent, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0) {
			assert_int_equal(errno, EAGAIN);
			assert_int_equal(tunnel_vtyc_on_readable(&f->c), TUNNEL_VTYC_WANT_READ);
			continue;
		}
		sent += (size_t)w;
	}
	free(buf);
	for (int i = 0; i < 100 && tunnel_vtyc_on_readable(&f->c) == TUNNEL_VTYC_WANT_READ; i++)
		;
}

static bool is_pattern(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (char)('A' + i % 26))
			return false;
	return true;
}

/* 200 KiB of output: the head is kept, the terminator still found. */
static void test_large_output(void **state)
{
	static const char *const cmds[] = { "show running-config" };
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	connect_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	expect_cmd(f, "show running-config");
	pump_reply(f, 200 * 1024, 0);
	assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, 0);
	assert_int_equal(f->rec.output_len, TUNNEL_VTYC_OUT_MAX);
	assert_true(f->rec.truncated);
	/* Still valid after the callback: nothing has been called since. */
	assert_true(is_pattern(f->rec.output, TUNNEL_VTYC_OUT_MAX));
	assert_int_equal(f->rec.output[TUNNEL_VTYC_OUT_MAX], '\0');

	/* Exactly the limit: all kept, not truncated; with an error status. */
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 1, rec_cb, &f->rec), 0);
	expect_cmd(f, "show running-config");
	pump_reply(f, TUNNEL_VTYC_OUT_MAX, 1);
	assert_int_equal(f->rec.calls, 2);
	assert_int_equal(f->rec.status, TUNNEL_VTYC_CMD_WARNING);
	assert_int_equal(f->rec.output_len, TUNNEL_VTYC_OUT_MAX);
	assert_false(f->rec.truncated);
	assert_true(is_pattern(f->rec.output, TUNNEL_VTYC_OUT_MAX));

	/* One byte more: truncated.  The connection stays in step. */
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 1, rec_cb, &f->rec), 0);
	expect_cmd(f, "show running-config");
	pump_reply(f, TUNNEL_VTYC_OUT_MAX + 1, 0);
	assert_int_equal(f->rec.calls, 3);
	assert_int_equal(f->rec.output_len, TUNNEL_VTYC_OUT_MAX);
	assert_true(f->rec.truncated);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "show running-config", "short\n", 0), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 4);
	assert_int_equal(f->rec.output_len, 6);
	assert_false(f->rec.truncated);
	assert_string_equal(f->rec.output, "short\n");
}

/*
 * The daemon's OSPF sequence, forked daemon, poll loop: all succeed; the
 * second batch goes without `enable`.
 */
static void test_batch_ok(void **state)
{
	static const struct dstep script[] = {
		{ "enable", "", 0 },
		{ "configure terminal", "", 0 },
		{ "interface gre1", "", 0 },
		{ "ip ospf cost 37", "", 0 },
		{ "end", "", 0 },
		{ "show ip ospf interface gre1", "gre1 is up\n  Cost: 37\n", 0 },
	};
	static const char *const show[] = { "show ip ospf interface gre1" };
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	start_daemon(f, script, sizeof(script) / sizeof(script[0]));
	assert_int_equal(tunnel_vtyc_connect(c), 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, ospf_cost, 4, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, 0);
	assert_int_equal(f->rec.index, 3);
	assert_string_equal(f->rec.out, "");

	assert_int_equal(tunnel_vtyc_batch_start(c, show, 1, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 2);
	assert_int_equal(f->rec.status, 0);
	assert_int_equal(f->rec.index, 0);
	assert_string_equal(f->rec.out, "gre1 is up\n  Cost: 37\n");

	end_daemon(f);
	assert_string_equal(f->log, "enable\nconfigure terminal\ninterface gre1\n"
				    "ip ospf cost 37\nend\nshow ip ospf interface gre1\n");
}

/* The 3rd command fails: the rest are skipped, `end` is still sent, the callback says which. */
static void test_error_third(void **state)
{
	static const struct dstep script[] = {
		{ "enable", "", 0 },
		{ "configure terminal", "", 0 },
		{ "interface gre1", "", 0 },
		{ "ip ospf cost 70000", "% Unknown command: ip ospf cost 70000\n",
		  TUNNEL_VTYC_CMD_ERR_NO_MATCH },
		{ "end", "this output is dropped\n", TUNNEL_VTYC_CMD_SUCCESS },
		/* The connection is still in step. */
		{ "show version", "FRRouting\n", 0 },
	};
	static const char *const cmds[] = {
		"configure terminal", "interface gre1", "ip ospf cost 70000",
		"ip ospf hello-interval 5", "end",
	};
	static const char *const show[] = { "show version" };
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	start_daemon(f, script, sizeof(script) / sizeof(script[0]));
	assert_int_equal(tunnel_vtyc_connect(c), 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 5, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, TUNNEL_VTYC_CMD_ERR_NO_MATCH);
	assert_int_equal(f->rec.index, 2);
	assert_string_equal(f->rec.out, "% Unknown command: ip ospf cost 70000\n");
	assert_false(f->rec.truncated);

	assert_int_equal(tunnel_vtyc_batch_start(c, show, 1, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 2);
	assert_int_equal(f->rec.status, 0);
	assert_string_equal(f->rec.out, "FRRouting\n");

	end_daemon(f);
	assert_string_equal(f->log, "enable\nconfigure terminal\ninterface gre1\n"
				    "ip ospf cost 70000\nend\nshow version\n");
}

/* Failures before config mode, warnings, `end` forgotten, `disable`, a failing `enable`. */
static void test_modes(void **state)
{
	static const char *const bad_conf[] = { "configure terminal", "interface gre1", "end" };
	static const char *const no_end[] = { "conf t", "router ospf", "ospf router-id 10.0.0.1" };
	static const char *const disable[] = { "disable" };
	static const char *const show[] = { "show version" };
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	connect_accept(f);

	/* `configure terminal` itself fails: no `end`. */
	assert_int_equal(tunnel_vtyc_batch_start(c, bad_conf, 3, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "configure terminal", "% locked\n", 1), TUNNEL_VTYC_IDLE);
	srv_nothing(f);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, TUNNEL_VTYC_CMD_WARNING);
	assert_int_equal(f->rec.index, 0);
	assert_string_equal(f->rec.out, "% locked\n");

	/* A warning inside config mode fails the batch, and `end` follows. */
	assert_int_equal(tunnel_vtyc_batch_start(c, bad_conf, 3, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "configure terminal", "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "interface gre1", "% bad\n", 13), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(f->rec.calls, 1);
	/* The `end` fails too: ignored, the first failure is reported. */
	assert_int_equal(step(f, "end", "% huh\n", 2), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 2);
	assert_int_equal(f->rec.status, TUNNEL_VTYC_CMD_WARNING_CONFIG_FAILED);
	assert_int_equal(f->rec.index, 1);
	assert_string_equal(f->rec.out, "% bad\n");

	/* No `end` in the batch: one is added; the last command's output is kept. */
	assert_int_equal(tunnel_vtyc_batch_start(c, no_end, 3, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "conf t", "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "router ospf", "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "ospf router-id 10.0.0.1", "changed\n", 0),
			 TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "end", "dropped\n", 0), TUNNEL_VTYC_IDLE);
	srv_nothing(f);
	assert_int_equal(f->rec.calls, 3);
	assert_int_equal(f->rec.status, 0);
	assert_int_equal(f->rec.index, 2);
	assert_string_equal(f->rec.out, "changed\n");

	/* After `disable`, the next batch starts with `enable` again. */
	assert_int_equal(tunnel_vtyc_batch_start(c, disable, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "disable", "", 0), TUNNEL_VTYC_IDLE);
	assert_int_equal(tunnel_vtyc_batch_start(c, show, 1, rec_cb, &f->rec), 0);
	/* `enable` failing (it cannot in FRR, but still): reported as IDX_ENABLE. */
	assert_int_equal(step(f, "enable", "% no\n", 2), TUNNEL_VTYC_IDLE);
	srv_nothing(f);
	assert_int_equal(f->rec.calls, 5);
	assert_int_equal(f->rec.status, 2);
	assert_int_equal(f->rec.index, TUNNEL_VTYC_IDX_ENABLE);
	assert_string_equal(f->rec.out, "% no\n");
	/* It is tried again. */
	assert_int_equal(tunnel_vtyc_batch_start(c, show, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "show version", "v\n", 0), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 6);
	assert_int_equal(f->rec.status, 0);
	assert_string_equal(f->rec.out, "v\n");
}

/* The daemon dies mid-reply; reconnect, `enable` first, the next batch works. */
static void test_close_mid_reply(void **state)
{
	static const struct dstep script[] = {
		{ "enable", "", 0 },
		{ "configure terminal", "", 0 },
		{ "interface gre1", "0123456789", CLOSE_HALF },
		NEWCONN,
		{ "enable", "", 0 },
		{ "configure terminal", "", 0 },
		{ "interface gre1", "", 0 },
		{ "ip ospf cost 37", "", 0 },
		{ "end", "", 0 },
	};
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	start_daemon(f, script, sizeof(script) / sizeof(script[0]));
	assert_int_equal(tunnel_vtyc_connect(c), 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, ospf_cost, 4, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, -ECONNRESET);
	assert_int_equal(f->rec.index, 1);
	assert_string_equal(f->rec.out, "01234");
	assert_int_equal(f->rec.state, TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.fd, -1);
	assert_int_equal(tunnel_vtyc_fd(c), -1);
	assert_int_equal(tunnel_vtyc_last_error(c), -ECONNRESET);
	assert_int_equal(tunnel_vtyc_batch_start(c, ospf_cost, 4, rec_cb, &f->rec), -ENOTCONN);

	assert_int_equal(tunnel_vtyc_connect(c), 0);
	assert_int_equal(tunnel_vtyc_last_error(c), 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, ospf_cost, 4, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 2);
	assert_int_equal(f->rec.status, 0);
	assert_int_equal(f->rec.index, 3);

	end_daemon(f);
	assert_string_equal(f->log, "enable\nconfigure terminal\ninterface gre1\n"
				    "enable\nconfigure terminal\ninterface gre1\n"
				    "ip ospf cost 37\nend\n");
}

/* The daemon restarts between batches: EOF while idle closes without a callback. */
static void test_reconnect_idle(void **state)
{
	static const struct dstep script[] = {
		{ "enable", "", 0 },
		{ "show version", "1\n", 0 },
		NEWCONN,
		{ "enable", "", 0 },
		{ "show version", "2\n", 0 },
		{ "show version", "3\n", 0 },
		{ "enable", "", 0 },
		{ "show version", "4\n", CLOSE_NOW },
	};
	static const char *const show[] = { "show version" };
	static const char *const en_show[] = { "enable", "show version" };
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;
	struct pollfd p = { .events = POLLIN };

	start_daemon(f, script, sizeof(script) / sizeof(script[0]));
	assert_int_equal(tunnel_vtyc_connect(c), 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, show, 1, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 1);
	assert_string_equal(f->rec.out, "1\n");

	/* Idle, watching for readable: the daemon goes away. */
	p.fd = tunnel_vtyc_fd(c);
	assert_int_equal(poll(&p, 1, POLL_MS), 1);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_last_error(c), -ECONNRESET);
	assert_int_equal(f->rec.calls, 1);

	assert_int_equal(tunnel_vtyc_connect(c), 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, show, 1, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 2);
	assert_string_equal(f->rec.out, "2\n");
	assert_int_equal(tunnel_vtyc_batch_start(c, show, 1, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 3);
	assert_string_equal(f->rec.out, "3\n");
	/* An explicit `enable` in the batch is sent as is, once. */
	assert_int_equal(tunnel_vtyc_batch_start(c, en_show, 2, rec_cb, &f->rec), 0);
	assert_int_equal(drive(f), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 4);
	assert_int_equal(f->rec.status, -ECONNRESET);
	assert_int_equal(f->rec.index, 1);
	assert_string_equal(f->rec.out, "");

	end_daemon(f);
	assert_string_equal(f->log, "enable\nshow version\nenable\nshow version\nshow version\n"
				    "enable\nshow version\n");
}

/* The daemon is gone before the command is sent: EPIPE, not SIGPIPE. */
static void test_send_epipe(void **state)
{
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	connect_accept(f);
	close(f->sfd);
	f->sfd = -1;
	assert_int_equal(tunnel_vtyc_batch_start(c, ospf_cost, 4, rec_cb, &f->rec), 0);
	assert_int_equal(tunnel_vtyc_on_writable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, -ECONNRESET);
	assert_int_equal(f->rec.index, TUNNEL_VTYC_IDX_ENABLE);
	assert_int_equal(f->rec.state, TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_fd(c), -1);
}

/* A full send buffer: EAGAIN keeps WANT_WRITE, and the command goes out later, intact. */
static void test_send_eagain(void **state)
{
	static char big[TUNNEL_VTYC_CMD_MAX + 1];
	const char *cmds[8];
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;
	char got[2048];
	int one = 1, blocked = 0;
	size_t sent;

	memset(big, 'x', TUNNEL_VTYC_CMD_MAX);
	for (size_t i = 0; i < 8; i++)
		cmds[i] = big;
	connect_accept(f);
	/* The smallest send buffer; the kernel rounds it up to its minimum. */
	assert_int_equal(setsockopt(tunnel_vtyc_fd(c), SOL_SOCKET, SO_SNDBUF, &one, sizeof(one)),
			 0);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 8, rec_cb, &f->rec), 0);
	/*
	 * Answer each command without reading it, so the commands pile up
	 * unread and fill the client's send buffer.
	 */
	assert_int_equal(tunnel_vtyc_on_writable(c), TUNNEL_VTYC_WANT_READ);
	assert_int_equal(reply(f, "", 0), TUNNEL_VTYC_WANT_WRITE); /* enable */
	for (sent = 0; sent < 8; sent++) {
		if (tunnel_vtyc_on_writable(c) == TUNNEL_VTYC_WANT_WRITE) {
			blocked = 1;
			break;
		}
		assert_int_equal(reply(f, "", 0),
				 sent + 1 < 8 ? TUNNEL_VTYC_WANT_WRITE : TUNNEL_VTYC_IDLE);
	}
	assert_true(blocked);
	assert_true(sent >= 1);
	/* Still blocked while nobody reads. */
	assert_int_equal(tunnel_vtyc_on_writable(c), TUNNEL_VTYC_WANT_WRITE);
	/* Drain: every command arrives whole, in order. */
	srv_cmd(f, got, sizeof(got));
	assert_string_equal(got, "enable");
	for (size_t i = 0; i < sent; i++) {
		srv_cmd(f, got, sizeof(got));
		assert_string_equal(got, big);
	}
	srv_nothing(f);
	for (size_t i = sent; i < 8; i++) {
		expect_cmd(f, big);
		assert_int_equal(reply(f, "", 0),
				 i + 1 < 8 ? TUNNEL_VTYC_WANT_WRITE : TUNNEL_VTYC_IDLE);
	}
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, 0);
	assert_int_equal(f->rec.index, 7);
}

/* Callbacks that start the next batch, close, or reconnect. */
static void test_reentrancy(void **state)
{
	static const char *const first[] = { "show version" };
	static const char *const second[] = { "show ip ospf neighbor" };
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	connect_accept(f);

	/* The callback starts the next batch; its output stays readable meanwhile. */
	f->rec.act = ACT_NEXT_BATCH;
	f->rec.next = second;
	f->rec.next_n = 1;
	assert_int_equal(tunnel_vtyc_batch_start(c, first, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "show version", "first\n", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.state, TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.act_ret, 0);
	assert_true(f->rec.out_kept);
	assert_string_equal(f->rec.output, "first\n");
	/* The next batch: no second `enable`. */
	assert_int_equal(step(f, "show ip ospf neighbor", "second\n", 0), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 2);
	assert_string_equal(f->rec.out, "second\n");

	/* The callback closes the connection: on_readable says so. */
	f->rec.act = ACT_CLOSE;
	assert_int_equal(tunnel_vtyc_batch_start(c, first, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "show version", "third\n", 0), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 3);
	assert_int_equal(f->rec.status, 0);
	assert_true(f->rec.out_kept);
	assert_int_equal(tunnel_vtyc_fd(c), -1);
	assert_int_equal(tunnel_vtyc_last_error(c), 0);

	/* close() with a batch in flight: -ECANCELED; the callback reconnects. */
	connect_accept(f);
	f->rec.act = ACT_CLOSE_RECONNECT;
	assert_int_equal(tunnel_vtyc_batch_start(c, first, 1, rec_cb, &f->rec), 0);
	expect_cmd(f, "enable");
	tunnel_vtyc_close(c);
	assert_int_equal(f->rec.calls, 4);
	assert_int_equal(f->rec.status, -ECANCELED);
	assert_int_equal(f->rec.index, TUNNEL_VTYC_IDX_ENABLE);
	assert_int_equal(f->rec.state, TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.act_ret, -ENOTCONN);
	assert_int_equal(f->rec.act_ret2, 0);
	assert_int_equal(tunnel_vtyc_state(c), TUNNEL_VTYC_IDLE);
	/* The new session works, from `enable`. */
	srv_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, first, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	assert_int_equal(step(f, "show version", "fourth\n", 0), TUNNEL_VTYC_IDLE);
	assert_int_equal(f->rec.calls, 5);
	assert_string_equal(f->rec.out, "fourth\n");
}

/* The caller's timer: fails the batch in flight and closes; a no-op when idle. */
static void test_timeout(void **state)
{
	static const char *const cmds[] = { "show version" };
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	connect_accept(f);
	assert_int_equal(tunnel_vtyc_timeout(c), TUNNEL_VTYC_IDLE);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 1, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	expect_cmd(f, "show version");
	srv_send(f, "partial", 7);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_WANT_READ);
	assert_int_equal(tunnel_vtyc_timeout(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, -ETIMEDOUT);
	assert_int_equal(f->rec.index, 0);
	assert_string_equal(f->rec.out, "partial");
	assert_int_equal(tunnel_vtyc_last_error(c), -ETIMEDOUT);
	assert_int_equal(tunnel_vtyc_timeout(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 1);

	/* Also while still sending. */
	connect_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 1, rec_cb, &f->rec), 0);
	assert_int_equal(tunnel_vtyc_timeout(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 2);
	assert_int_equal(f->rec.status, -ETIMEDOUT);
	assert_int_equal(f->rec.index, TUNNEL_VTYC_IDX_ENABLE);
}

/* A daemon that breaks the protocol is dropped with -EPROTO. */
static void test_protocol_errors(void **state)
{
	static const char *const cmds[] = { "enable", "show version" };
	static const char after[] = "ok\0\0\0\0junk";
	static const char inner[] = "a\0b\0\0\0\0";
	static const char inner2[] = "ab\0\0c";
	struct fake *f = *state;
	struct tunnel_vtyc *c = &f->c;

	/* Bytes after the status. */
	connect_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	expect_cmd(f, "show version");
	srv_send(f, after, sizeof(after) - 1);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 1);
	assert_int_equal(f->rec.status, -EPROTO);
	assert_int_equal(f->rec.index, 1);

	/* A NUL inside the text, one or two. */
	connect_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	expect_cmd(f, "show version");
	srv_send(f, inner, sizeof(inner) - 1);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 2);
	assert_int_equal(f->rec.status, -EPROTO);
	assert_string_equal(f->rec.out, "a");

	connect_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, rec_cb, &f->rec), 0);
	assert_int_equal(step(f, "enable", "", 0), TUNNEL_VTYC_WANT_WRITE);
	expect_cmd(f, "show version");
	srv_send(f, inner2, 4);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_WANT_READ);
	srv_send(f, inner2 + 4, 1);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 3);
	assert_int_equal(f->rec.status, -EPROTO);

	/* Unsolicited bytes while idle: closed, no callback. */
	connect_accept(f);
	srv_send(f, "hello", 5);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_last_error(c), -EPROTO);
	/* ... or while sending: the batch fails. */
	connect_accept(f);
	assert_int_equal(tunnel_vtyc_batch_start(c, cmds, 2, rec_cb, &f->rec), 0);
	srv_send(f, "\0\0\0\0", 4);
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(f->rec.calls, 4);
	assert_int_equal(f->rec.status, -EPROTO);
	assert_int_equal(f->rec.index, 0);

	/* EOF while idle. */
	connect_accept(f);
	close(f->sfd);
	f->sfd = -1;
	assert_int_equal(tunnel_vtyc_on_readable(c), TUNNEL_VTYC_CLOSED);
	assert_int_equal(tunnel_vtyc_last_error(c), -ECONNRESET);
	assert_int_equal(f->rec.calls, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byte_by_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_terminator_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_third, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_mid_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_epipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_eagain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reentrancy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol_errors, setup, teardown),
	};

	/* A last resort: the test program dies rather than hang. */
	alarm(60);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
