// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Non-blocking client of FRR's vtysh socket protocol: batches of commands,
 * one command per round trip, replies framed by "\0\0\0" and a status byte.
 *
 * Error policy: a non-zero command status ends the batch but keeps the
 * connection (the stream is still in step); anything that leaves the
 * stream out of step (EOF, socket error, timeout, protocol violation)
 * closes it, and the caller reconnects and re-applies.
 */
#define _DEFAULT_SOURCE /* with -std=c11: MSG_NOSIGNAL, SOCK_NONBLOCK, SOCK_CLOEXEC */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "tunnel_vtyc.h"

/* Reads per on_readable call: 256 KiB, then back to the caller's loop. */
#define READ_ROUNDS 64
#define READ_CHUNK  4096

static const char cmd_enable[] = "enable";
static const char cmd_end[] = "end";

/* Length of the first word of a command, and where it starts. */
static size_t first_word(const char *cmd, const char **word)
{
	size_t len = 0;

	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	*word = cmd;
	while (cmd[len] && cmd[len] != ' ' && cmd[len] != '\t')
		len++;
	return len;
}

static bool word_is(const char *cmd, const char *word)
{
	const char *w;
	size_t len = first_word(cmd, &w);

	return len == strlen(word) && memcmp(w, word, len) == 0;
}

/*
 * `configure`, `configure terminal`, `conf t`: FRR takes any unambiguous
 * prefix, and one of at least 3 letters that succeeded can only be this.
 */
static bool is_configure(const char *cmd)
{
	const char *w;
	size_t len = first_word(cmd, &w);

	return len >= 3 && len <= 9 && memcmp(w, "configure", len) == 0;
}

/* Only printable text: a '\n' or other control byte would change what FRR parses. */
static bool cmd_valid(const char *cmd, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)cmd[i];

		if (ch < 0x20 || ch == 0x7f)
			return false;
	}
	return len > 0;
}

static void close_fd(struct tunnel_vtyc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = TUNNEL_VTYC_CLOSED;
	/* The daemon drops a session's mode with the session. */
	c->need_enable = true;
	c->in_config = false;
}

/*
 * End the batch and run its callback.  c is updated first, so the
 * callback sees a consistent connection and may start the next batch.
 */
static void finish(struct tunnel_vtyc *c, int status, int index)
{
	tunnel_vtyc_cb cb = c->cb;
	void *arg = c->cb_arg;
	struct tunnel_vtyc_result res = {
		.status = status,
		.index = index,
		.output = c->out,
		.output_len = c->out_len,
		.truncated = c->out_truncated,
	};

	c->cb = NULL;
	c->cb_arg = NULL;
	c->ncmds = 0;
	c->phase = TUNNEL_VTYC_PH_NONE;
	c->tx = NULL;
	c->tx_len = c->tx_off = 0;
	if (c->state != TUNNEL_VTYC_CLOSED)
		c->state = TUNNEL_VTYC_IDLE;
	if (cb)
		cb(c, &res, arg);
}

static bool batch_active(const struct tunnel_vtyc *c)
{
	return c->state == TUNNEL_VTYC_WANT_WRITE || c->state == TUNNEL_VTYC_WANT_READ;
}

/* The index a transport error is reported against. */
static int current_index(const struct tunnel_vtyc *c)
{
	switch (c->phase) {
	case TUNNEL_VTYC_PH_ENABLE:
		return TUNNEL_VTYC_IDX_ENABLE;
	case TUNNEL_VTYC_PH_END:
		return TUNNEL_VTYC_IDX_END;
	case TUNNEL_VTYC_PH_USER:
	case TUNNEL_VTYC_PH_NONE:
		break;
	}
	return (int)c->cur;
}

/* Close, and fail the batch in flight (if any) with err (-errno). */
static void fail(struct tunnel_vtyc *c, int err)
{
	bool active = batch_active(c);
	int index = current_index(c);

	close_fd(c);
	c->last_error = err;
	if (active)
		finish(c, err, index);
}

static void begin(struct tunnel_vtyc *c, enum tunnel_vtyc_phase phase, const char *cmd,
		  size_t len)
{
	c->phase = phase;
	c->tx = cmd;
	c->tx_len = len + 1;
	c->tx_off = 0;
	c->nuls = 0;
	c->reply_status = 0;
	/* Keep the output of the command that decided the result. */
	c->discard = phase == TUNNEL_VTYC_PH_END;
	c->state = TUNNEL_VTYC_WANT_WRITE;
}

static void begin_user(struct tunnel_vtyc *c, size_t i)
{
	const char *cmd = c->cmds + c->cmd_off[i];

	c->cur = i;
	begin(c, TUNNEL_VTYC_PH_USER, cmd, strlen(cmd));
}

/* The caller's commands are done (res_status/res_index set): leave config mode, report. */
static void user_done(struct tunnel_vtyc *c)
{
	if (c->in_config)
		begin(c, TUNNEL_VTYC_PH_END, cmd_end, sizeof(cmd_end) - 1);
	else
		finish(c, c->res_status, c->res_index);
}

/* A complete reply with status c->reply_status arrived. */
static void reply_done(struct tunnel_vtyc *c)
{
	int st = c->reply_status;
	const char *cmd;

	switch (c->phase) {
	case TUNNEL_VTYC_PH_ENABLE:
		if (st) {
			finish(c, st, TUNNEL_VTYC_IDX_ENABLE);
			return;
		}
		c->need_enable = false;
		begin_user(c, 0);
		return;
	case TUNNEL_VTYC_PH_USER:
		cmd = c->cmds + c->cmd_off[c->cur];
		if (st) {
			c->res_status = st;
			c->res_index = (int)c->cur;
			user_done(c);
			return;
		}
		/* Track the session's mode from what succeeded. */
		if (is_configure(cmd))
			c->in_config = true;
		else if (word_is(cmd, cmd_end))
			c->in_config = false;
		else if (word_is(cmd, cmd_enable))
			c->need_enable = false;
		else if (word_is(cmd, "disable"))
			c->need_enable = true;
		if (c->cur + 1 < c->ncmds) {
			begin_user(c, c->cur + 1);
			return;
		}
		c->res_status = 0;
		c->res_index = (int)c->cur;
		user_done(c);
		return;
	case TUNNEL_VTYC_PH_END:
		/* Whatever it says: `end` is valid in every config node. */
		c->in_config = false;
		finish(c, c->res_status, c->res_index);
		return;
	case TUNNEL_VTYC_PH_NONE:
		break;
	}
	fail(c, -EPROTO);
}

static void out_append(struct tunnel_vtyc *c, const char *p, size_t len)
{
	size_t room = TUNNEL_VTYC_OUT_MAX - c->out_len;

	if (c->discard || len == 0)
		return;
	if (len > room) {
		len = room;
		c->out_truncated = true;
	}
	memcpy(c->out + c->out_len, p, len);
	c->out_len += len;
	c->out[c->out_len] = '\0';
}

/*
 * Feed received bytes to the framer.  Returns 0 when more is needed, 1 when
 * the status byte was the last byte of buf, -EPROTO for a NUL inside the
 * text (FRR's output is text; vtysh takes the first NUL as the terminator)
 * or bytes after the status (the daemon answers one command at a time).
 */
static int feed(struct tunnel_vtyc *c, const char *buf, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *nul;
		size_t len;

		if (c->nuls == 3) {
			c->reply_status = (uint8_t)buf[i++];
			return i == n ? 1 : -EPROTO;
		}
		if (buf[i] == '\0') {
			c->nuls++;
			i++;
			continue;
		}
		if (c->nuls)
			return -EPROTO;
		nul = memchr(buf + i, '\0', n - i);
		len = nul ? (size_t)(nul - (buf + i)) : n - i;
		out_append(c, buf + i, len);
		i += len;
	}
	return 0;
}

/* The peer is gone, as opposed to some local error. */
static bool peer_gone(int err)
{
	return err == ECONNRESET || err == EPIPE || err == ENOTCONN;
}

int tunnel_vtyc_init(struct tunnel_vtyc *c, const char *path)
{
	size_t len;

	if (!c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->state = TUNNEL_VTYC_CLOSED;
	c->need_enable = true;
	if (!path || !*path)
		return -EINVAL;
	len = strlen(path);
	if (len >= sizeof(c->path))
		return -ENAMETOOLONG;
	memcpy(c->path, path, len + 1);
	return 0;
}

int tunnel_vtyc_connect(struct tunnel_vtyc *c)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, err;

	if (!c || !c->path[0])
		return -EINVAL;
	if (c->state != TUNNEL_VTYC_CLOSED)
		return -EISCONN;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		c->last_error = -errno;
		return c->last_error;
	}
	_Static_assert(sizeof(addr.sun_path) == TUNNEL_VTYC_PATH_MAX, "sun_path size");
	memcpy(addr.sun_path, c->path, sizeof(addr.sun_path));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		err = errno;
		close(fd);
		/*
		 * Linux connects unix sockets at once; anything pending (a full
		 * backlog, a signal) is simplest retried on a fresh socket.
		 */
		if (err == EINPROGRESS || err == EINTR || err == EWOULDBLOCK)
			err = EAGAIN;
		c->last_error = -err;
		return -err;
	}
	c->fd = fd;
	c->state = TUNNEL_VTYC_IDLE;
	c->last_error = 0;
	c->need_enable = true;
	c->in_config = false;
	return 0;
}

int tunnel_vtyc_batch_start(struct tunnel_vtyc *c, const char *const *cmds, size_t n,
			    tunnel_vtyc_cb cb, void *arg)
{
	size_t used = 0;

	if (!c || !cmds || n == 0)
		return -EINVAL;
	if (c->state == TUNNEL_VTYC_CLOSED)
		return -ENOTCONN;
	if (c->state != TUNNEL_VTYC_IDLE)
		return -EBUSY;
	if (n > TUNNEL_VTYC_BATCH_MAX)
		return -E2BIG;

	/* Check everything before copying anything: a refused batch changes nothing. */
	for (size_t i = 0; i < n; i++) {
		size_t len;

		if (!cmds[i])
			return -EINVAL;
		len = strnlen(cmds[i], TUNNEL_VTYC_CMD_MAX + 1);
		if (len > TUNNEL_VTYC_CMD_MAX)
			return -E2BIG;
		if (!cmd_valid(cmds[i], len))
			return -EINVAL;
		if (len + 1 > TUNNEL_VTYC_BATCH_BYTES - used)
			return -E2BIG;
		used += len + 1;
	}

	used = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(cmds[i]);

		c->cmd_off[i] = (uint16_t)used;
		memcpy(c->cmds + used, cmds[i], len + 1);
		used += len + 1;
	}
	c->ncmds = n;
	c->cb = cb;
	c->cb_arg = arg;
	c->res_status = 0;
	c->res_index = 0;

	if (c->need_enable && !word_is(cmds[0], cmd_enable))
		begin(c, TUNNEL_VTYC_PH_ENABLE, cmd_enable, sizeof(cmd_enable) - 1);
	else
		begin_user(c, 0);
	return 0;
}

enum tunnel_vtyc_state tunnel_vtyc_on_writable(struct tunnel_vtyc *c)
{
	if (!c)
		return TUNNEL_VTYC_CLOSED;

	while (c->state == TUNNEL_VTYC_WANT_WRITE) {
		ssize_t n;

		/* A new command: its reply replaces the output, unless discarded. */
		if (c->tx_off == 0 && !c->discard) {
			c->out_len = 0;
			c->out[0] = '\0';
			c->out_truncated = false;
		}
		/* MSG_NOSIGNAL: a dead daemon gives EPIPE, not SIGPIPE. */
		n = send(c->fd, c->tx + c->tx_off, c->tx_len - c->tx_off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			fail(c, peer_gone(errno) ? -ECONNRESET : -errno);
			break;
		}
		c->tx_off += (size_t)n;
		if (c->tx_off == c->tx_len)
			c->state = TUNNEL_VTYC_WANT_READ;
	}
	return c->state;
}

enum tunnel_vtyc_state tunnel_vtyc_on_readable(struct tunnel_vtyc *c)
{
	char buf[READ_CHUNK];

	if (!c)
		return TUNNEL_VTYC_CLOSED;

	for (int round = 0; round < READ_ROUNDS && c->state != TUNNEL_VTYC_CLOSED; round++) {
		ssize_t n;
		int r;

		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			fail(c, peer_gone(errno) ? -ECONNRESET : -errno);
			break;
		}
		if (n == 0) {
			fail(c, -ECONNRESET);
			break;
		}
		/* Nothing is due while idle or sending: the stream is out of step. */
		if (c->state != TUNNEL_VTYC_WANT_READ) {
			fail(c, -EPROTO);
			break;
		}
		r = feed(c, buf, (size_t)n);
		if (r < 0) {
			fail(c, r);
			break;
		}
		if (r > 0) {
			/* May run the callback, which may change c: read no further. */
			reply_done(c);
			break;
		}
	}
	return c->state;
}

enum tunnel_vtyc_state tunnel_vtyc_timeout(struct tunnel_vtyc *c)
{
	if (!c)
		return TUNNEL_VTYC_CLOSED;
	if (batch_active(c))
		fail(c, -ETIMEDOUT);
	return c->state;
}

void tunnel_vtyc_close(struct tunnel_vtyc *c)
{
	if (!c || c->state == TUNNEL_VTYC_CLOSED)
		return;
	if (batch_active(c)) {
		fail(c, -ECANCELED);
		return;
	}
	close_fd(c);
	c->last_error = 0;
}

enum tunnel_vtyc_state tunnel_vtyc_state(const struct tunnel_vtyc *c)
{
	return c ? c->state : TUNNEL_VTYC_CLOSED;
}

int tunnel_vtyc_fd(const struct tunnel_vtyc *c)
{
	return c ? c->fd : -1;
}

int tunnel_vtyc_last_error(const struct tunnel_vtyc *c)
{
	return c ? c->last_error : -EINVAL;
}

const char *tunnel_vtyc_status_str(int status)
{
	static const char *const names[] = {
		"CMD_SUCCESS",
		"CMD_WARNING",
		"CMD_ERR_NO_MATCH",
		"CMD_ERR_AMBIGUOUS",
		"CMD_ERR_INCOMPLETE",
		"CMD_ERR_EXEED_ARGC_MAX",
		"CMD_ERR_NOTHING_TODO",
		"CMD_COMPLETE_FULL_MATCH",
		"CMD_COMPLETE_MATCH",
		"CMD_COMPLETE_LIST_MATCH",
		"CMD_SUCCESS_DAEMON",
		"CMD_ERR_NO_FILE",
		"CMD_SUSPEND",
		"CMD_WARNING_CONFIG_FAILED",
		"CMD_NOT_MY_INSTANCE",
		"CMD_NO_LEVEL_UP",
		"CMD_ERR_NO_DAEMON",
	};

	if (status >= 0)
		return (size_t)status < sizeof(names) / sizeof(names[0]) ? names[status]
									 : "CMD_UNKNOWN";
	switch (status) {
	case -ECONNRESET:
		return "ECONNRESET";
	case -ETIMEDOUT:
		return "ETIMEDOUT";
	case -ECANCELED:
		return "ECANCELED";
	case -EPROTO:
		return "EPROTO";
	default:
		return "EOTHER";
	}
}
