// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STAMP (RFC 8762) stateless Session-Reflector.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * One UDP socket per VRF and address family, on the configured port.  A
 * test packet is answered on the interface, and from the address, it came
 * in on, with the same length (RFC 8762 4.3: no amplification).  By default
 * only packets that came in through a tunnel tunneld manages are answered,
 * so the reflector is no open timestamp service on the underlay.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/network.h"
#include "lib/privs.h"
#include "lib/sockopt.h"
#include "lib/sockunion.h"
#include "lib/vrf.h"

#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_memory.h"
#include "tunneld/tunnel_reflector.h"
#include "tunneld/tunnel_stamp.h"
#include "tunneld/tunneld.h"

DEFINE_MTYPE_STATIC(TUNNELD, TUNNEL_REFL_SOCK, "STAMP reflector socket");

#define REFL_PKT_MAX 9216
#define REFL_RX_BATCH 64

PREDECL_DLIST(refl_socks);
struct refl_sock {
	vrf_id_t vrf_id;
	int family;
	uint16_t port;
	int fd;
	bool wanted; /* marked while matching the configuration */
	struct event *t_read;
	struct refl_socks_item item;
};
DECLARE_DLIST(refl_socks, struct refl_sock, item);

extern struct zebra_privs_t tunnel_privs;

static struct event_loop *refl_master;
static struct refl_socks_head refl_socks;
static struct tunnel_reflector_stats refl_stats;
static uint8_t rx_buf[REFL_PKT_MAX], tx_buf[REFL_PKT_MAX];

static void refl_read(struct event *e);

static int refl_open(vrf_id_t vrf_id, int family, uint16_t port)
{
	union sockunion su = {};
	int fd = -1, one = 1, ttl = 255, ret = -1;

	frr_with_privs (&tunnel_privs) {
		fd = vrf_socket(family, SOCK_DGRAM, IPPROTO_UDP, vrf_id, NULL);
		if (fd < 0)
			break;
		sockopt_reuseaddr(fd);
		if (family == AF_INET6 &&
		    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
			break;
		su.sa.sa_family = family;
		if (family == AF_INET)
			su.sin.sin_port = htons(port);
		else
			su.sin6.sin6_port = htons(port);
		/* Ports below 1024 (862 is one) need CAP_NET_BIND_SERVICE. */
		ret = bind(fd, &su.sa, family == AF_INET ? sizeof(su.sin) : sizeof(su.sin6));
	}
	if (fd < 0)
		return -1;
	if (ret < 0)
		goto fail;
	set_nonblocking(fd);
	set_cloexec(fd);
	/*
	 * The arrival interface and address (to answer from them), the TTL
	 * (the reply carries it, RFC 8762 4.3.1) and the kernel's receive
	 * time; replies leave with TTL 255 as TWAMP's do (RFC 5357 4.2).
	 */
	if (setsockopt_ifindex(family, fd, 1) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0)
		goto fail;
	if (family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0)
			goto fail;
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) < 0)
			goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Where the packet came in: interface, our address, its TTL. */
struct arrival {
	ifindex_t ifindex;
	union sockunion local;
	uint8_t ttl;
};

static void arrival_of(struct msghdr *msg, int family, struct arrival *a)
{
	struct cmsghdr *cm;
	int v;

	memset(a, 0, sizeof(*a));
	a->local.sa.sa_family = family;
	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			a->ifindex = pi.ipi_ifindex;
			a->local.sin.sin_addr = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO &&
			   cm->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			a->ifindex = pi.ipi6_ifindex;
			a->local.sin6.sin6_addr = pi.ipi6_addr;
		} else if (((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) ||
			    (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT)) &&
			   cm->cmsg_len >= CMSG_LEN(sizeof(int))) {
			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			a->ttl = v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
		}
	}
}

/* The tunnel an interface is, when tunneld manages it. */
static struct tunnel *managed_tunnel(vrf_id_t vrf_id, ifindex_t ifindex)
{
	struct interface *ifp = if_lookup_by_index(ifindex, vrf_id);
	struct tunnel *tun;
	struct vrf *vrf;

	/* The socket's VRF first; the kernel may name a slave of another. */
	if (!ifp)
		RB_FOREACH (vrf, vrf_id_head, &vrfs_by_id)
			if ((ifp = if_lookup_by_index(ifindex, vrf->vrf_id)))
				break;
	if (!ifp)
		return NULL;
	tun = tunnel_find(ifp->name);
	if (!tun || tun->st.ifindex != (uint32_t)ifindex)
		return NULL;
	return tun;
}

static ssize_t refl_send(struct refl_sock *s, const union sockunion *to,
			 const struct arrival *a, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl = {};
	struct iovec iov = { .iov_base = tx_buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = (void *)to,
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
	};
	struct cmsghdr *cm = (struct cmsghdr *)ctl.buf;

	/* Answer from the address it was sent to, through where it came in. */
	if (s->family == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = a->ifindex,
					 .ipi_spec_dst = a->local.sin.sin_addr };

		msg.msg_namelen = sizeof(to->sin);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_ifindex = a->ifindex,
					  .ipi6_addr = a->local.sin6.sin6_addr };

		msg.msg_namelen = sizeof(to->sin6);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	return sendmsg(s->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void refl_packet(struct refl_sock *s, struct msghdr *msg, size_t n)
{
	struct tunnel_reflector_tunnel_stats *ts = NULL;
	struct tunnel_ntp_ts rx_ntp, tx_ntp;
	struct timespec rx_real, tx_real;
	struct tunnel *tun = NULL;
	struct arrival a;
	uint64_t rx_mono;
	int len;

	refl_stats.received++;
	tunnel_clock_rx_time(msg, &rx_mono, &rx_real);
	arrival_of(msg, s->family, &a);
	if (a.ifindex)
		tun = managed_tunnel(s->vrf_id, a.ifindex);
	if (tun)
		ts = tunnel_measure_reflector_stats(tun);
	if (!tun && !tunneld_globals.reflector.all_interfaces) {
		refl_stats.out_of_scope++;
		return;
	}
	if (ts)
		ts->received++;
	rx_ntp = tunnel_ntp_from_timespec(rx_real);
	clock_gettime(CLOCK_REALTIME, &tx_real);
	tx_ntp = tunnel_ntp_from_timespec(tx_real);
	len = tunnel_stamp_reflect(rx_buf, (msg->msg_flags & MSG_TRUNC) ? 0 : n, rx_ntp, tx_ntp,
				   tunnel_clock_errest(), a.ttl, tx_buf, sizeof(tx_buf));
	if (len < 0) {
		refl_stats.malformed++;
		if (ts)
			ts->malformed++;
		DEBUGD(&tunnel_dbg_probe, "reflector: test packet from %pSU dropped: %s",
		       (union sockunion *)msg->msg_name, tunnel_stamp_strerror(len));
		return;
	}
	if (refl_send(s, msg->msg_name, &a, len) < 0) {
		refl_stats.send_errors++;
		DEBUGD(&tunnel_dbg_probe, "reflector: reply to %pSU: %s",
		       (union sockunion *)msg->msg_name, safe_strerror(errno));
		return;
	}
	refl_stats.reflected++;
	if (ts)
		ts->reflected++;
}

static void refl_read(struct event *e)
{
	struct refl_sock *s = EVENT_ARG(e);
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(struct timespec)) + 64];
		struct cmsghdr align;
	} ctl;
	union sockunion from;
	struct iovec iov = { .iov_base = rx_buf, .iov_len = sizeof(rx_buf) };
	struct msghdr msg;
	ssize_t n;

	event_add_read(refl_master, refl_read, s, s->fd, &s->t_read);
	for (int i = 0; i < REFL_RX_BATCH; i++) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
		if (n < 0) {
			if (ERRNO_IO_RETRY(errno))
				return;
			continue;
		}
		refl_packet(s, &msg, n);
	}
}

static void refl_close(struct refl_sock *s)
{
	EVENT_OFF(s->t_read);
	close(s->fd);
	refl_socks_del(&refl_socks, s);
	XFREE(MTYPE_TUNNEL_REFL_SOCK, s);
}

static void refl_want(vrf_id_t vrf_id, int family, uint16_t port)
{
	struct refl_sock *s;
	int fd;

	frr_each (refl_socks, &refl_socks, s)
		if (s->vrf_id == vrf_id && s->family == family && s->port == port) {
			s->wanted = true;
			return;
		}
	fd = refl_open(vrf_id, family, port);
	if (fd < 0) {
		zlog_warn("STAMP reflector: cannot listen on %s UDP port %u in VRF %s: %s",
			  family == AF_INET ? "IPv4" : "IPv6", port, vrf_id_to_name(vrf_id),
			  safe_strerror(errno));
		return;
	}
	s = XCALLOC(MTYPE_TUNNEL_REFL_SOCK, sizeof(*s));
	s->vrf_id = vrf_id;
	s->family = family;
	s->port = port;
	s->fd = fd;
	s->wanted = true;
	refl_socks_add_tail(&refl_socks, s);
	event_add_read(refl_master, refl_read, s, fd, &s->t_read);
	zlog_info("STAMP reflector: listening on %s UDP port %u in VRF %s",
		  family == AF_INET ? "IPv4" : "IPv6", port, vrf_id_to_name(vrf_id));
}

void tunnel_reflector_update(void)
{
	const struct tunneld_globals *g = &tunneld_globals;
	struct refl_sock *s;
	struct tunnel *tun;
	struct vrf *vrf;

	/* VRFs are enabled (and call here) before the reflector is set up. */
	if (!refl_master)
		return;
	frr_each (refl_socks, &refl_socks, s)
		s->wanted = false;
	if (g->reflector.enable) {
		/* The default VRF, and every VRF a tunnel's overlay is in. */
		refl_want(VRF_DEFAULT, AF_INET, g->reflector.port);
		refl_want(VRF_DEFAULT, AF_INET6, g->reflector.port);
		frr_each (tunnels, &tunnels, tun) {
			if (!tun->cfg.vrf[0])
				continue;
			vrf = vrf_lookup_by_name(tun->cfg.vrf);
			if (!vrf || !vrf_is_enabled(vrf) || vrf->vrf_id == VRF_DEFAULT)
				continue;
			refl_want(vrf->vrf_id, AF_INET, g->reflector.port);
			refl_want(vrf->vrf_id, AF_INET6, g->reflector.port);
		}
	}
	frr_each_safe (refl_socks, &refl_socks, s) {
		if (s->wanted)
			continue;
		zlog_info("STAMP reflector: closed %s UDP port %u in VRF %s",
			  s->family == AF_INET ? "IPv4" : "IPv6", s->port,
			  vrf_id_to_name(s->vrf_id));
		refl_close(s);
	}
}

void tunnel_reflector_stats(struct tunnel_reflector_stats *st, unsigned int *sockets)
{
	*st = refl_stats;
	*sockets = refl_socks_count(&refl_socks);
}

void tunnel_reflector_init(struct event_loop *master)
{
	refl_master = master;
	refl_socks_init(&refl_socks);
}

void tunnel_reflector_fini(void)
{
	struct refl_sock *s;

	frr_each_safe (refl_socks, &refl_socks, s)
		refl_close(s);
}
