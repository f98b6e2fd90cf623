// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld's own netlink sockets: rtnetlink for links and addresses,
 * generic netlink for WireGuard.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * zebra neither creates tunnel links nor talks to WireGuard, so tunneld
 * keeps two small sockets of its own.  Requests are few and the kernel
 * answers them at once, so each is sent and answered in one go, with a
 * receive timeout so a silent kernel can never stall the daemon.
 */
#include <zebra.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "lib/lib_errors.h"
#include "lib/log.h"
#include "lib/privs.h"

#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_link.h"
#include "tunneld/tunnel_netlink.h"

extern struct zebra_privs_t tunnel_privs;

static struct mnl_socket *nl_sock[2];
static uint32_t nl_seq;

static struct mnl_socket *nl_open(int bus)
{
	struct mnl_socket *nl = mnl_socket_open(bus);
	struct timeval tv = { .tv_sec = 2 };
	int one = 1;

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	/* Extended acks carry the kernel's reason ("Unknown device type"). */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return nl;
}

int tunnel_nl_init(void)
{
	nl_sock[TUNNEL_NL_ROUTE] = nl_open(NETLINK_ROUTE);
	nl_sock[TUNNEL_NL_GENERIC] = nl_open(NETLINK_GENERIC);
	if (!nl_sock[TUNNEL_NL_ROUTE] || !nl_sock[TUNNEL_NL_GENERIC]) {
		flog_err_sys(EC_LIB_SOCKET, "cannot open netlink sockets: %s",
			     safe_strerror(errno));
		return -1;
	}
	nl_seq = (uint32_t)time(NULL);
	return 0;
}

void tunnel_nl_fini(void)
{
	for (size_t i = 0; i < array_size(nl_sock); i++) {
		if (nl_sock[i])
			mnl_socket_close(nl_sock[i]);
		nl_sock[i] = NULL;
	}
}

uint32_t tunnel_nl_seq(void)
{
	return ++nl_seq;
}

struct talk_ctx {
	tunnel_nl_cb cb;
	void *arg;
	char *err;
	size_t errlen;
	int error;
};

static int talk_data(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;

	if (ctx->cb && ctx->cb(nlh, ctx->arg) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int talk_error(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		ctx->error = -EBADMSG;
		snprintf(ctx->err, ctx->errlen, "truncated netlink error reply");
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP; /* the ack */
	ctx->error = e->error;
	tunnel_nl_strerror(nlh, ctx->err, ctx->errlen);
	return MNL_CB_ERROR;
}

/* The end of a dump; it carries an error when the dump failed midway. */
static int talk_done(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error < 0) {
		ctx->error = error;
		snprintf(ctx->err, ctx->errlen, "dump failed: %s", safe_strerror(-error));
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

int tunnel_nl_talk(enum tunnel_nl_bus bus, struct nlmsghdr *nlh, tunnel_nl_cb cb, void *arg,
		   char *err, size_t errlen)
{
	struct mnl_socket *nl = nl_sock[bus];
	struct talk_ctx ctx = { .cb = cb, .arg = arg, .err = err, .errlen = errlen };
	/* libmnl applies none of its defaults to types left out of this array. */
	mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = talk_error,
		[NLMSG_DONE] = talk_done,
	};
	char buf[MNL_SOCKET_DUMP_SIZE];
	uint32_t seq = nlh->nlmsg_seq;
	uint32_t portid;
	ssize_t n;
	int ret;

	err[0] = '\0';
	if (!nl) {
		snprintf(err, errlen, "netlink socket not open");
		return -ENOTCONN;
	}
	portid = mnl_socket_get_portid(nl);
	/*
	 * Every request but a dump wants its ack, so errors always come back;
	 * a dump ends with NLMSG_DONE instead.
	 */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;

	/* Leftovers of an earlier, timed-out request would not match seq. */
	while (recv(mnl_socket_get_fd(nl), buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;

	DEBUGD(&tunnel_dbg_netlink, "netlink %s: type %u flags 0x%x seq %u len %u",
	       bus == TUNNEL_NL_ROUTE ? "route" : "generic", nlh->nlmsg_type,
	       nlh->nlmsg_flags, seq, nlh->nlmsg_len);

	frr_with_privs (&tunnel_privs) {
		n = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	}
	if (n < 0) {
		snprintf(err, errlen, "netlink send: %s", safe_strerror(errno));
		return -errno;
	}

	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			int e = errno;

			snprintf(err, errlen, "netlink receive: %s",
				 e == EAGAIN ? "no answer from the kernel" : safe_strerror(e));
			return -e;
		}
		ret = mnl_cb_run2(buf, n, seq, portid, talk_data, &ctx, ctl_cb,
				  array_size(ctl_cb));
	} while (ret == MNL_CB_OK);

	if (ret == MNL_CB_ERROR) {
		if (!ctx.error) {
			ctx.error = errno ? -errno : -EBADMSG;
			if (!err[0])
				snprintf(err, errlen, "bad netlink reply: %s",
					 safe_strerror(-ctx.error));
		}
		DEBUGD(&tunnel_dbg_netlink, "netlink seq %u failed: %s", seq, err);
		return ctx.error;
	}
	return 0;
}
