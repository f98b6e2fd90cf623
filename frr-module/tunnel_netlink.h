// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld's own netlink sockets: rtnetlink for links and addresses,
 * generic netlink for WireGuard.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_NETLINK_H
#define _TUNNEL_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

enum tunnel_nl_bus {
	TUNNEL_NL_ROUTE,
	TUNNEL_NL_GENERIC,
};

/* Called for each data message of a reply (a dump has many). */
typedef int (*tunnel_nl_cb)(const struct nlmsghdr *nlh, void *arg);

extern int tunnel_nl_init(void);
extern void tunnel_nl_fini(void);

/* A sequence number for the next request. */
extern uint32_t tunnel_nl_seq(void);

/*
 * Send one request built by core/ and wait (bounded) for its answer:
 * data messages go to cb, an error reply or a failure returns -errno with
 * the kernel's text (extended ack included) in err.  Returns 0 on success.
 * Runs with CAP_NET_ADMIN raised.
 */
extern int tunnel_nl_talk(enum tunnel_nl_bus bus, struct nlmsghdr *nlh, tunnel_nl_cb cb,
			  void *arg, char *err, size_t errlen);

#endif /* _TUNNEL_NETLINK_H */
