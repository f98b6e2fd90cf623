// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * A non-blocking client of FRR's vtysh socket protocol (what vtysh uses to
 * talk to ospfd and bgpd): POSIX sockets only, no libfrr.  The caller owns
 * the event loop; it watches tunnel_vtyc_fd() as the functions below ask.
 *
 * Wire protocol (FRR lib/vty.c vtysh_read, vtysh/vtysh.c vtysh_client_run):
 * each command goes out as a NUL-terminated string; the daemon answers with
 * output text, then "\0\0\0" and one status byte (FRR's CMD_* codes).  One
 * command per round trip: the daemon may drop pipelined input.  A new
 * session is in view mode, so `enable` is sent first (automatically).
 *
 * Usage, one connection per daemon:
 *
 *	tunnel_vtyc_init(&c, "/var/run/frr/ospfd.vty");
 *	tunnel_vtyc_connect(&c);              -> 0, or retry later with backoff
 *	tunnel_vtyc_batch_start(&c, cmds, n, cb, arg);   -> TUNNEL_VTYC_WANT_WRITE
 *	then, until the callback ran, call tunnel_vtyc_on_writable() or
 *	tunnel_vtyc_on_readable() when the fd is ready, as the returned
 *	enum tunnel_vtyc_state asks, and tunnel_vtyc_timeout() if the reply
 *	takes too long.  When TUNNEL_VTYC_IDLE, keep watching for readable:
 *	that is how a daemon restart (EOF) is noticed between batches.
 *	On TUNNEL_VTYC_CLOSED, reconnect with backoff and re-apply the state.
 *
 * No global state; no allocation (the caller embeds struct tunnel_vtyc,
 * about 74 KiB).  Not thread-safe: one thread per struct tunnel_vtyc.
 */
#ifndef _TUNNELD_TUNNEL_VTYC_H
#define _TUNNELD_TUNNEL_VTYC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TUNNEL_VTYC_PATH_MAX	108   /* sizeof(sun_path), NUL included */
#define TUNNEL_VTYC_CMD_MAX	1023  /* characters in one command; FRR takes < 4096 */
#define TUNNEL_VTYC_BATCH_MAX	64    /* commands in one batch */
#define TUNNEL_VTYC_BATCH_BYTES 8192  /* all commands of a batch, each with its NUL */
#define TUNNEL_VTYC_OUT_MAX	65536 /* output kept of one command; the rest is dropped */

/* FRR's command status codes (lib/command.h) that matter here. */
#define TUNNEL_VTYC_CMD_SUCCESS		      0
#define TUNNEL_VTYC_CMD_WARNING		      1
#define TUNNEL_VTYC_CMD_ERR_NO_MATCH	      2
#define TUNNEL_VTYC_CMD_ERR_AMBIGUOUS	      3
#define TUNNEL_VTYC_CMD_ERR_INCOMPLETE	      4
#define TUNNEL_VTYC_CMD_WARNING_CONFIG_FAILED 13

/* tunnel_vtyc_result.index of the commands the client adds itself. */
#define TUNNEL_VTYC_IDX_ENABLE (-1) /* the `enable` sent first on a new session */
#define TUNNEL_VTYC_IDX_END    (-2) /* the `end` that leaves config mode after a batch */

/*
 * Connection state, and what the caller should wait for next: the return
 * value of every driving function below.
 */
enum tunnel_vtyc_state {
	TUNNEL_VTYC_CLOSED,	/* no socket: connect (again) */
	TUNNEL_VTYC_IDLE,	/* connected, no batch: watch for readable (EOF) */
	TUNNEL_VTYC_WANT_WRITE, /* sending a command: call on_writable when writable */
	TUNNEL_VTYC_WANT_READ,	/* awaiting a reply: call on_readable when readable */
};

/* The outcome of a batch, given to its callback. */
struct tunnel_vtyc_result {
	/*
	 * 0: every command returned CMD_SUCCESS.
	 * 1..255: the FRR status of the first command that did not (a
	 * CMD_WARNING counts as failure too); the connection stays usable.
	 * < 0: -errno; the connection is closed already:
	 *   -ECONNRESET  the daemon went away (EOF, ECONNRESET, EPIPE)
	 *   -ETIMEDOUT   tunnel_vtyc_timeout() was called
	 *   -ECANCELED   tunnel_vtyc_close() was called
	 *   -EPROTO      the daemon broke the protocol (a NUL inside the
	 *                output, bytes after the status byte)
	 *   other        a socket error from send() or recv()
	 */
	int status;
	/*
	 * The command status belongs to: an index into the caller's list
	 * (the last one on success), TUNNEL_VTYC_IDX_ENABLE or (for errors < 0
	 * only) TUNNEL_VTYC_IDX_END.
	 */
	int index;
	/*
	 * That command's output text (without the terminator), NUL-terminated,
	 * at most TUNNEL_VTYC_OUT_MAX bytes: the head is kept, truncated says
	 * that more was dropped.  For errors < 0: what arrived before.  Valid
	 * until the next tunnel_vtyc_on_writable(), tunnel_vtyc_on_readable()
	 * or tunnel_vtyc_init() on the same connection, so the callback may
	 * start the next batch and still read it.
	 */
	const char *output;
	size_t output_len;
	bool truncated;
};

struct tunnel_vtyc;

/*
 * Called exactly once per started batch, after the connection has been
 * updated (IDLE after a command status, CLOSED after an error < 0).  It may
 * call tunnel_vtyc_batch_start(), tunnel_vtyc_close() or (when CLOSED)
 * tunnel_vtyc_connect() on c; the driving function that called it then
 * returns the state that results.  It must not free c or call
 * tunnel_vtyc_init() on it: close it, and free it once the driving function
 * has returned.
 */
typedef void (*tunnel_vtyc_cb)(struct tunnel_vtyc *c, const struct tunnel_vtyc_result *res,
			       void *arg);

/* Private to tunnel_vtyc.c: where a batch is. */
enum tunnel_vtyc_phase {
	TUNNEL_VTYC_PH_NONE,
	TUNNEL_VTYC_PH_ENABLE, /* the automatic `enable` */
	TUNNEL_VTYC_PH_USER,   /* the caller's command cur */
	TUNNEL_VTYC_PH_END,    /* the automatic `end` */
};

/* Embedded by the caller; the fields are private: use the functions. */
struct tunnel_vtyc {
	char path[TUNNEL_VTYC_PATH_MAX];
	int fd;
	enum tunnel_vtyc_state state;
	int last_error;
	bool need_enable; /* a new session is in view mode */
	bool in_config;	  /* a `configure` succeeded, no `end` since */

	/* The batch in flight (state WANT_WRITE or WANT_READ). */
	tunnel_vtyc_cb cb;
	void *cb_arg;
	size_t ncmds;
	uint16_t cmd_off[TUNNEL_VTYC_BATCH_MAX];
	char cmds[TUNNEL_VTYC_BATCH_BYTES];
	enum tunnel_vtyc_phase phase;
	size_t cur;
	const char *tx; /* the command being sent, NUL included in tx_len */
	size_t tx_len, tx_off;
	int res_status, res_index; /* kept across the automatic `end` */

	/* The reply being read. */
	uint8_t nuls; /* NULs of the terminator seen so far */
	uint8_t reply_status;
	bool discard; /* output of the automatic `end`: not kept */
	bool out_truncated;
	size_t out_len;
	char out[TUNNEL_VTYC_OUT_MAX + 1];
};

/*
 * Set up c (closed) for the socket at path, e.g. "/var/run/frr/ospfd.vty"
 * or "/var/run/frr/<pathspace>/ospfd.vty".  Only on a new or closed c.
 * Returns 0; -EINVAL for NULL c or path or an empty path, -ENAMETOOLONG
 * when path does not fit sun_path (then c is set up, but connect fails).
 */
int tunnel_vtyc_init(struct tunnel_vtyc *c, const char *path);

/*
 * Connect a non-blocking AF_UNIX stream socket to the daemon.  A unix
 * socket connects at once or fails.  Returns 0 (state IDLE, the next batch
 * starts with `enable`), or -errno with c still CLOSED:
 *   -ENOENT, -ECONNREFUSED  the daemon is not running
 *   -EAGAIN                 its listen backlog is full: retry later
 *   -EACCES                 not in the frrvty group
 *   -EISCONN                c is not closed;  -EINVAL  NULL c or no path
 */
int tunnel_vtyc_connect(struct tunnel_vtyc *c);

/*
 * Start a batch: cmds[0..n-1] are sent one at a time, each after the reply
 * to the one before.  The commands are copied; cmds may be freed on return.
 * `enable` is sent first when the session needs it (new connection, or after
 * a `disable`), unless cmds[0] is `enable`.  The first command whose status
 * is not 0 ends the batch: the rest are skipped.  If the session is in
 * config mode when the batch ends (a `configure` succeeded and no `end`
 * since), `end` is sent too, on success and on failure, so no batch leaves
 * the session in config mode; its status and output are ignored.  Then cb
 * (may be NULL) gets the result.
 * Commands: 1..TUNNEL_VTYC_CMD_MAX printable characters (no control
 * characters such as '\n'), at most TUNNEL_VTYC_BATCH_MAX of them and
 * TUNNEL_VTYC_BATCH_BYTES with their NULs.
 * Returns 0 (state WANT_WRITE; nothing is sent before on_writable), or
 * -ENOTCONN when closed, -EBUSY while a batch is in flight, -EINVAL for a
 * NULL c or cmds, n == 0, a NULL, empty or invalid command, -E2BIG when a
 * limit is exceeded.
 */
int tunnel_vtyc_batch_start(struct tunnel_vtyc *c, const char *const *cmds, size_t n,
			    tunnel_vtyc_cb cb, void *arg);

/*
 * The fd is writable: send what is left of the current command (partial
 * writes and EAGAIN are fine).  May run the callback (on a send error).
 * Returns the new state; a no-op returning the state unless WANT_WRITE.
 */
enum tunnel_vtyc_state tunnel_vtyc_on_writable(struct tunnel_vtyc *c);

/*
 * The fd is readable: read the reply (it may arrive in pieces of any size,
 * the terminator split anywhere); when it is complete, move on to the next
 * command or finish the batch and run the callback.  EOF closes with
 * -ECONNRESET; bytes that are not due (while IDLE or WANT_WRITE) close with
 * -EPROTO; a batch in flight fails with that, and when IDLE there is no
 * callback: tunnel_vtyc_last_error() says why.  Reads at most 256 KiB per
 * call (the caller's loop calls again while readable).  Returns the new
 * state.
 */
enum tunnel_vtyc_state tunnel_vtyc_on_readable(struct tunnel_vtyc *c);

/*
 * The reply is overdue (the caller's timer).  With a batch in flight: the
 * stream can no longer be trusted, so close and fail the batch with
 * -ETIMEDOUT.  Otherwise a no-op.  Returns the new state.
 */
enum tunnel_vtyc_state tunnel_vtyc_timeout(struct tunnel_vtyc *c);

/*
 * Close the socket; a batch in flight fails with -ECANCELED (its callback
 * runs before this returns).  A no-op when closed or NULL.
 */
void tunnel_vtyc_close(struct tunnel_vtyc *c);

/* The current state (TUNNEL_VTYC_CLOSED for NULL). */
enum tunnel_vtyc_state tunnel_vtyc_state(const struct tunnel_vtyc *c);

/* The socket to watch, or -1 when closed. */
int tunnel_vtyc_fd(const struct tunnel_vtyc *c);

/*
 * Why the connection last closed or failed to connect (-errno as in
 * struct tunnel_vtyc_result), 0 after a connect or an explicit close of an
 * open connection; -EINVAL for NULL.
 */
int tunnel_vtyc_last_error(const struct tunnel_vtyc *c);

/*
 * A result status as text for logs: FRR's name for 0..16 ("CMD_ERR_NO_MATCH"),
 * "CMD_UNKNOWN" above; for < 0 the errno name of the errors listed at
 * struct tunnel_vtyc_result ("ECONNRESET"), "EOTHER" for the rest (use
 * strerror(-status)).  Never NULL.
 */
const char *tunnel_vtyc_status_str(int status);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_VTYC_H */
