// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Active probes: STAMP Session-Senders and ICMP echo.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * One socket per VRF, address family and protocol serves every prober:
 * thousands of tunnels must not mean thousands of descriptors in the event
 * loop's poll set.  Each probe names its tunnel as the outgoing interface
 * (IP_PKTINFO), looked up afresh every time, so a re-created tunnel with a
 * new ifindex is probed at once; a reply is matched to its prober by the
 * far end's address and port (ICMP: the echo identifier) and must have come
 * in through that tunnel.
 */
#include <zebra.h>

#include <netinet/icmp6.h>
#include <linux/icmp.h>

#include "lib/jhash.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/network.h"
#include "lib/privs.h"
#include "lib/sockopt.h"

#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_icmp.h"
#include "tunneld/tunnel_memory.h"
#include "tunneld/tunnel_probe.h"
#include "tunneld/tunnel_stamp.h"

DEFINE_MTYPE_STATIC(TUNNELD, TUNNEL_PROBER, "Tunnel prober");
DEFINE_MTYPE_STATIC(TUNNELD, TUNNEL_PROBE_SOCK, "Tunnel probe socket");
DEFINE_MTYPE_STATIC(TUNNELD, TUNNEL_SAMPLES, "Tunnel probe samples");

#define PROBE_PKT_MAX 9216 /* the YANG size range ends at 9000 */
#define PROBE_RX_BATCH 64  /* replies read per wake-up, so others get a turn */
#define NSEC_PER_MSEC 1000000ULL

PREDECL_DLIST(probe_socks);
struct tunnel_probe_sock {
	vrf_id_t vrf_id;
	int family;
	enum tunnel_probe_mode mode;
	int fd;
	unsigned int refs;
	struct event *t_read;
	struct probe_socks_item item;
};
DECLARE_DLIST(probe_socks, struct tunnel_probe_sock, item);

static int prober_cmp(const struct tunnel_prober *a, const struct tunnel_prober *b)
{
	if (a->sock != b->sock)
		return a->sock < b->sock ? -1 : 1;
	if (a->cfg.mode == TUNNEL_PROBE_ICMP)
		return numcmp(a->echo_id, b->echo_id);
	if (a->cfg.port != b->cfg.port)
		return numcmp(a->cfg.port, b->cfg.port);
	return ipaddr_cmp(&a->cfg.dst, &b->cfg.dst);
}

static uint32_t prober_hash(const struct tunnel_prober *p)
{
	uint32_t h = jhash(&p->sock, sizeof(p->sock), 0);

	if (p->cfg.mode == TUNNEL_PROBE_ICMP)
		return jhash_1word(p->echo_id, h);
	h = jhash_1word(p->cfg.port, h);
	return jhash(&p->cfg.dst.ip, IS_IPADDR_V4(&p->cfg.dst) ? 4 : 16, h);
}

DECLARE_HASH(tunnel_probers, struct tunnel_prober, item, prober_cmp, prober_hash);

static int sched_cmp(const struct tunnel_prober *a, const struct tunnel_prober *b)
{
	if (a->next_send_ns != b->next_send_ns)
		return numcmp(a->next_send_ns, b->next_send_ns);
	return numcmp((uintptr_t)a, (uintptr_t)b);
}

DECLARE_HEAP(tunnel_probe_sched, struct tunnel_prober, sched, sched_cmp);

static struct event_loop *probe_master;
static struct probe_socks_head probe_socks;
static struct tunnel_probers_head probers;
/*
 * One timer for all probers: it sends every probe due within a little
 * slack, so the event loop wakes a few hundred times a second however many
 * tunnels there are, instead of once per probe.
 */
static struct tunnel_probe_sched_head probe_sched;
static struct event *t_sched;
static uint64_t t_sched_at;
static uint64_t probe_unmatched;
static uint8_t pkt[PROBE_PKT_MAX];

extern struct zebra_privs_t tunnel_privs;

static void probe_read(struct event *e);
static void quality_params(const struct tunnel_prober_cfg *cfg, struct tunnel_quality_params *qp);

/* Sockets. */

static int sock_open(vrf_id_t vrf_id, int family, enum tunnel_probe_mode mode)
{
	int fd = -1, one = 1, proto;

	if (mode == TUNNEL_PROBE_ICMP)
		proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	else
		proto = IPPROTO_UDP;
	frr_with_privs (&tunnel_privs) {
		fd = vrf_socket(family, mode == TUNNEL_PROBE_ICMP ? SOCK_RAW : SOCK_DGRAM, proto,
				vrf_id, NULL);
	}
	if (fd < 0)
		return -1;
	set_nonblocking(fd);
	set_cloexec(fd);
	/* Which interface a reply came in on, and when (the kernel's stamp). */
	if (setsockopt_ifindex(family, fd, 1) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0)
		goto fail;
	if (mode == TUNNEL_PROBE_ICMP && family == AF_INET) {
		struct icmp_filter filt = { .data = ~(1U << ICMP_ECHOREPLY) };

		if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof(filt)) < 0)
			goto fail;
	} else if (mode == TUNNEL_PROBE_ICMP) {
		struct icmp6_filter filt;

		ICMP6_FILTER_SETBLOCKALL(&filt);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filt);
		if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof(filt)) < 0)
			goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

static struct tunnel_probe_sock *sock_get(vrf_id_t vrf_id, int family,
					  enum tunnel_probe_mode mode)
{
	struct tunnel_probe_sock *s;
	int fd;

	frr_each (probe_socks, &probe_socks, s)
		if (s->vrf_id == vrf_id && s->family == family && s->mode == mode) {
			s->refs++;
			return s;
		}
	fd = sock_open(vrf_id, family, mode);
	if (fd < 0) {
		zlog_warn("probes: cannot open a %s %s socket in VRF %u: %s",
			  family == AF_INET ? "IPv4" : "IPv6", tunnel_probe_mode_name(mode),
			  vrf_id, safe_strerror(errno));
		return NULL;
	}
	s = XCALLOC(MTYPE_TUNNEL_PROBE_SOCK, sizeof(*s));
	s->vrf_id = vrf_id;
	s->family = family;
	s->mode = mode;
	s->fd = fd;
	s->refs = 1;
	probe_socks_add_tail(&probe_socks, s);
	event_add_read(probe_master, probe_read, s, fd, &s->t_read);
	DEBUGD(&tunnel_dbg_probe, "probes: opened %s %s socket in VRF %u (fd %d)",
	       family == AF_INET ? "IPv4" : "IPv6", tunnel_probe_mode_name(mode), vrf_id, fd);
	return s;
}

static void sock_put(struct tunnel_probe_sock **sp)
{
	struct tunnel_probe_sock *s = *sp;

	*sp = NULL;
	if (!s || --s->refs)
		return;
	EVENT_OFF(s->t_read);
	close(s->fd);
	probe_socks_del(&probe_socks, s);
	XFREE(MTYPE_TUNNEL_PROBE_SOCK, s);
}

/* Sending. */

static void add_cmsg(struct msghdr *msg, size_t *used, int level, int type, const void *data,
		     size_t len)
{
	struct cmsghdr *cm = (struct cmsghdr *)((char *)msg->msg_control + *used);

	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(cm), data, len);
	*used += CMSG_SPACE(len);
}

/* Send through the tunnel whatever ifindex it has now, with its DSCP. */
static ssize_t send_via(const struct tunnel_prober *p, const void *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl = {};
	union sockunion su = {};
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf };
	int tos = p->cfg.timing.dscp << 2;
	size_t used = 0;

	if (IS_IPADDR_V4(&p->cfg.dst)) {
		struct in_pktinfo pi = { .ipi_ifindex = p->cfg.ifindex };

		su.sin.sin_family = AF_INET;
		su.sin.sin_addr = p->cfg.dst.ipaddr_v4;
		su.sin.sin_port = p->cfg.mode == TUNNEL_PROBE_STAMP ? htons(p->cfg.port) : 0;
		msg.msg_namelen = sizeof(su.sin);
		add_cmsg(&msg, &used, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
		add_cmsg(&msg, &used, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	} else {
		struct in6_pktinfo pi = { .ipi6_ifindex = p->cfg.ifindex };

		su.sin6.sin6_family = AF_INET6;
		su.sin6.sin6_addr = p->cfg.dst.ipaddr_v6;
		su.sin6.sin6_port = p->cfg.mode == TUNNEL_PROBE_STAMP ? htons(p->cfg.port) : 0;
		su.sin6.sin6_scope_id = p->cfg.ifindex;
		msg.msg_namelen = sizeof(su.sin6);
		add_cmsg(&msg, &used, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
		add_cmsg(&msg, &used, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	}
	msg.msg_name = &su;
	msg.msg_controllen = used;
	return sendmsg(p->sock->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static int build_stamp(const struct tunnel_prober *p, uint32_t seq)
{
	struct tunnel_stamp_test t = { .seq = seq, .errest = tunnel_clock_errest() };
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	t.ts = tunnel_ntp_from_timespec(now);
	return tunnel_stamp_test_encode(&t, pkt, sizeof(pkt), p->cfg.timing.size);
}

static int build_icmp(const struct tunnel_prober *p, uint32_t seq, uint64_t now_ns)
{
	struct tunnel_icmp_echo e = { .id = p->echo_id, .seq = (uint16_t)seq, .send_ns = now_ns };

	/* The size is the whole ICMP message, as for STAMP the UDP payload. */
	if (IS_IPADDR_V4(&p->cfg.dst))
		return tunnel_icmp4_echo_build(&e, TUNNEL_ICMP_MAGIC, pkt, sizeof(pkt),
					       p->cfg.timing.size);
	return tunnel_icmp6_echo_build(&e, TUNNEL_ICMP_MAGIC, pkt, sizeof(pkt),
				       p->cfg.timing.size);
}

static void liveness_check(struct tunnel_prober *p, uint64_t now)
{
	uint64_t quiet = (uint64_t)p->cfg.timing.interval_ms * p->cfg.timing.miss_count *
			 NSEC_PER_MSEC;
	bool down = p->answered && p->sent_since_reply >= p->cfg.timing.miss_count &&
		    now - p->last_reply_ns >= quiet;

	if (down == p->down)
		return;
	p->down = down;
	p->down_transitions += down;
	p->down_changed_ms = tunnel_clock_real_ms();
	if (p->notify)
		p->notify(p->arg, TUNNEL_PROBER_LIVENESS);
}

static void probe_send(struct tunnel_prober *p, uint64_t now)
{
	uint32_t seq;
	int len;

	if (tunnel_quality_expire(&p->q, now) && p->notify)
		p->notify(p->arg, TUNNEL_PROBER_SAMPLE);

	seq = tunnel_quality_next_seq(&p->q, now);
	p->last_seq = seq;
	p->sent_any = true;
	p->sent_since_reply++;
	/* With no interface or socket the probe is sent nowhere: it will be lost. */
	if (p->cfg.ifindex && p->sock) {
		len = p->cfg.mode == TUNNEL_PROBE_ICMP ? build_icmp(p, seq, now)
						       : build_stamp(p, seq);
		if (len < 0) {
			p->send_errors++;
			p->last_send_errno = -len;
		} else if (send_via(p, pkt, len) < 0) {
			p->send_errors++;
			if (p->last_send_errno != errno)
				DEBUGD(&tunnel_dbg_probe, "probe to %pIA: %s", &p->cfg.dst,
				       safe_strerror(errno));
			p->last_send_errno = errno;
		} else {
			p->last_send_errno = 0;
		}
	}
	liveness_check(p, now);
}

/*
 * A probe may go this much early: a quarter interval, at most 20 ms.  The
 * send time is stamped per packet, so this costs no accuracy; it batches
 * the probes of many tunnels into one wake-up.
 */
static uint64_t sched_slack(const struct tunnel_prober *p)
{
	return MIN(20 * NSEC_PER_MSEC, (uint64_t)p->cfg.timing.interval_ms * NSEC_PER_MSEC / 4);
}

static void sched_run(struct event *e);

static void sched_arm(void)
{
	const struct tunnel_prober *p = tunnel_probe_sched_const_first(&probe_sched);
	uint64_t now, delay;

	if (!p) {
		EVENT_OFF(t_sched);
		return;
	}
	if (t_sched && t_sched_at == p->next_send_ns)
		return;
	EVENT_OFF(t_sched);
	now = tunnel_clock_mono_ns();
	delay = p->next_send_ns > now ? p->next_send_ns - now : 0;
	t_sched_at = p->next_send_ns;
	event_add_timer_msec(probe_master, sched_run, NULL,
			     (delay + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC, &t_sched);
}

static void sched_run(struct event *e)
{
	struct tunnel_prober *p;
	uint64_t now = tunnel_clock_mono_ns(), interval;

	t_sched_at = 0;
	while ((p = tunnel_probe_sched_first(&probe_sched)) &&
	       p->next_send_ns <= now + sched_slack(p)) {
		tunnel_probe_sched_pop(&probe_sched);
		interval = (uint64_t)p->cfg.timing.interval_ms * NSEC_PER_MSEC;
		/* Keep the cadence; after a stall, go on from now, no burst. */
		p->next_send_ns += interval;
		if (p->next_send_ns <= now)
			p->next_send_ns = now + interval;
		tunnel_probe_sched_add(&probe_sched, p);
		probe_send(p, now);
	}
	sched_arm();
}

static void sched_add(struct tunnel_prober *p, uint64_t first_in_ns)
{
	p->next_send_ns = tunnel_clock_mono_ns() + first_in_ns;
	tunnel_probe_sched_add(&probe_sched, p);
	sched_arm();
}

static void sched_del(struct tunnel_prober *p)
{
	tunnel_probe_sched_del(&probe_sched, p);
	sched_arm();
}

/* Receiving. */

static struct tunnel_prober *prober_lookup(struct tunnel_probe_sock *s, const union sockunion *from,
					   uint16_t echo_id)
{
	struct tunnel_prober key = { .sock = s, .echo_id = echo_id };

	key.cfg.mode = s->mode;
	if (s->family == AF_INET) {
		SET_IPADDR_V4(&key.cfg.dst);
		key.cfg.dst.ipaddr_v4 = from->sin.sin_addr;
		key.cfg.port = ntohs(from->sin.sin_port);
	} else {
		SET_IPADDR_V6(&key.cfg.dst);
		key.cfg.dst.ipaddr_v6 = from->sin6.sin6_addr;
		key.cfg.port = ntohs(from->sin6.sin6_port);
	}
	return tunnel_probers_find(&probers, &key);
}

static bool from_dst(const struct tunnel_prober *p, const union sockunion *from)
{
	if (IS_IPADDR_V4(&p->cfg.dst))
		return from->sa.sa_family == AF_INET &&
		       from->sin.sin_addr.s_addr == p->cfg.dst.ipaddr_v4.s_addr;
	return from->sa.sa_family == AF_INET6 &&
	       IPV6_ADDR_SAME(&from->sin6.sin6_addr, &p->cfg.dst.ipaddr_v6);
}

static bool from_tunnel(const struct tunnel_prober *p, ifindex_t ifindex)
{
	return ifindex && (ifindex == p->cfg.ifindex ||
			   (p->cfg.master_ifindex && ifindex == p->cfg.master_ifindex));
}

/*
 * The far end's first answer starts the measurement: the probes lost while
 * it was still coming up (its tunnel not made yet, its daemon starting)
 * say nothing about the path, and would read as loss for a whole window.
 */
static void first_answer(struct tunnel_prober *p)
{
	struct tunnel_quality_params qp;

	quality_params(&p->cfg, &qp);
	qp.first_seq = p->last_seq + 1;
	tunnel_quality_init(&p->q, p->ring, p->ring_size, p->pending, p->pending_size, &qp);
	DEBUGD(&tunnel_dbg_probe, "probes to %pIA: first answer, measuring from now on",
	       &p->cfg.dst);
}

static void reply_done(struct tunnel_prober *p, enum tunnel_quality_verdict v, uint64_t now)
{
	switch (v) {
	case TUNNEL_REPLY_SAMPLE:
	case TUNNEL_REPLY_REORDERED:
		if (!p->answered)
			first_answer(p);
		p->last_reply_ns = now;
		p->sent_since_reply = 0;
		p->answered = true;
		liveness_check(p, now);
		if (p->notify)
			p->notify(p->arg, TUNNEL_PROBER_SAMPLE);
		break;
	case TUNNEL_REPLY_DUPLICATE:
	case TUNNEL_REPLY_LATE:
	case TUNNEL_REPLY_UNKNOWN:
	case TUNNEL_REPLY_BOGUS:
		DEBUGD(&tunnel_dbg_probe, "reply from %pIA: %s", &p->cfg.dst,
		       tunnel_quality_verdict_name(v));
		break;
	}
}

static void stamp_reply(struct tunnel_prober *p, size_t len, uint64_t rx_mono,
			const struct timespec *rx_real)
{
	struct tunnel_stamp_reply r;
	struct tunnel_reply_info ri = {};
	int64_t hold;
	uint64_t err_ns;
	bool mbz;
	int ret;

	ret = tunnel_stamp_reply_decode(pkt, len, &r, &mbz);
	if (ret < 0) {
		p->malformed++;
		DEBUGD(&tunnel_dbg_probe, "reply from %pIA dropped: %s", &p->cfg.dst,
		       tunnel_stamp_strerror(ret));
		return;
	}
	/* T2..T3 is the reflector's own time; a negative one is a lie. */
	hold = tunnel_ntp_diff_ns(r.ts, r.rx_ts);
	if (hold < 0) {
		p->malformed++;
		DEBUGD(&tunnel_dbg_probe, "reply from %pIA dropped: it was sent before it was received",
		       &p->cfg.dst);
		return;
	}
	ri.reflector_hold_ns = (uint64_t)hold;
	/* One-way delays mean something only when both clocks are in sync. */
	if (tunnel_clock_synced(&err_ns) && tunnel_stamp_errest_decode(r.errest).synced &&
	    tunnel_stamp_errest_decode(r.sender_errest).synced) {
		ri.oneway_valid = true;
		ri.fwd_ns = tunnel_ntp_diff_ns(r.rx_ts, r.sender_ts);
		ri.back_ns = tunnel_ntp_diff_ns(tunnel_ntp_from_timespec(*rx_real), r.ts);
	}
	reply_done(p, tunnel_quality_reply(&p->q, r.sender_seq, rx_mono, &ri), rx_mono);
}

/* The full sequence number of an ICMP reply: the latest sent that ends so. */
static uint32_t icmp_seq32(const struct tunnel_prober *p, uint16_t seq16)
{
	return p->last_seq - (uint16_t)((uint16_t)p->last_seq - seq16);
}

static void icmp_reply(struct tunnel_probe_sock *s, size_t len, const union sockunion *from,
		       ifindex_t ifindex, uint64_t rx_mono)
{
	struct tunnel_icmp_echo echo;
	struct tunnel_reply_info ri = {};
	struct tunnel_prober *p;
	size_t off = 0;
	uint16_t id;
	int ret;

	/*
	 * The socket sees every echo reply: the identifier (after the IPv4
	 * header for IPv4) picks whose it is, then the codec checks it all.
	 */
	if (s->family == AF_INET && len >= 1)
		off = (pkt[0] & 0x0f) * 4;
	if (len < off + TUNNEL_ICMP_HDR_LEN)
		return;
	id = (uint16_t)(pkt[off + 4] << 8 | pkt[off + 5]);
	if (s->family == AF_INET)
		ret = tunnel_icmp4_reply_parse(pkt, len, id, TUNNEL_ICMP_MAGIC, &echo);
	else
		ret = tunnel_icmp6_reply_parse(pkt, len, id, TUNNEL_ICMP_MAGIC, &echo);
	if (ret < 0) {
		/* Others' pings come here too: only a debug matter. */
		DEBUGD(&tunnel_dbg_probe, "ICMP reply ignored: %s", tunnel_icmp_strerror(ret));
		return;
	}
	p = prober_lookup(s, from, echo.id);
	/* The identifier is ours: the source must be the far end too. */
	if (!p || !p->sent_any || !from_dst(p, from)) {
		probe_unmatched++;
		return;
	}
	if (!from_tunnel(p, ifindex)) {
		p->off_tunnel++;
		return;
	}
	reply_done(p, tunnel_quality_reply(&p->q, icmp_seq32(p, echo.seq), rx_mono, &ri),
		   rx_mono);
}

static void probe_read(struct event *e)
{
	struct tunnel_probe_sock *s = EVENT_ARG(e);
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			 CMSG_SPACE(sizeof(struct timespec)) + 64];
		struct cmsghdr align;
	} ctl;
	union sockunion from;
	struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
	struct msghdr msg;
	struct tunnel_prober *p;
	struct timespec rx_real;
	uint64_t rx_mono;
	ifindex_t ifindex;
	ssize_t n;

	event_add_read(probe_master, probe_read, s, s->fd, &s->t_read);
	for (int i = 0; i < PROBE_RX_BATCH; i++) {
		memset(&msg, 0, sizeof(msg));
		memset(&from, 0, sizeof(from));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
		if (n < 0) {
			/* ECONNREFUSED and friends: an ICMP error for an earlier probe. */
			if (ERRNO_IO_RETRY(errno))
				return;
			continue;
		}
		if (msg.msg_flags & MSG_TRUNC)
			n = 0; /* larger than any valid reply: malformed */
		tunnel_clock_rx_time(&msg, &rx_mono, &rx_real);
		ifindex = getsockopt_ifindex(s->family, &msg);
		if (s->mode == TUNNEL_PROBE_ICMP) {
			icmp_reply(s, n, &from, ifindex, rx_mono);
			continue;
		}
		p = prober_lookup(s, &from, 0);
		if (!p) {
			probe_unmatched++;
			continue;
		}
		if (!from_tunnel(p, ifindex)) {
			p->off_tunnel++;
			continue;
		}
		stamp_reply(p, n, rx_mono, &rx_real);
	}
}

/* Probers. */

static int dst_family(const struct tunnel_prober_cfg *cfg)
{
	return IS_IPADDR_V4(&cfg->dst) ? AF_INET : AF_INET6;
}

static void quality_params(const struct tunnel_prober_cfg *cfg, struct tunnel_quality_params *qp)
{
	tunnel_quality_params_default(qp);
	qp->alpha = cfg->alpha;
	qp->window = cfg->timing.window;
	qp->timeout_ns = (uint64_t)cfg->timing.timeout_ms * NSEC_PER_MSEC;
	/* A random first sequence number makes blind spoofing harder. */
	qp->first_seq = frr_weak_random();
}

static uint32_t pending_size(const struct tunnel_prober_cfg *cfg)
{
	return tunnel_quality_pending_size((uint64_t)cfg->timing.interval_ms * NSEC_PER_MSEC,
					   (uint64_t)cfg->timing.timeout_ms * NSEC_PER_MSEC);
}

/*
 * (Re)size the sample ring and the table of outstanding probes to the
 * window and to interval and timeout; the figures so far are kept.
 */
static void quality_setup(struct tunnel_prober *p, bool first)
{
	struct tunnel_quality_params qp;
	struct tunnel_sample *old_ring = p->ring;
	struct tunnel_probe *old_pending = p->pending;
	uint32_t psize = pending_size(&p->cfg);
	uint16_t rsize = p->cfg.timing.window;

	quality_params(&p->cfg, &qp);
	if (!first && rsize == p->ring_size && psize == p->pending_size) {
		tunnel_quality_set_params(&p->q, &qp);
		return;
	}
	p->ring = XCALLOC(MTYPE_TUNNEL_SAMPLES, sizeof(*p->ring) * rsize);
	p->pending = XCALLOC(MTYPE_TUNNEL_SAMPLES, sizeof(*p->pending) * psize);
	if (first)
		tunnel_quality_init(&p->q, p->ring, rsize, p->pending, psize, &qp);
	else
		tunnel_quality_reinit(&p->q, p->ring, rsize, p->pending, psize, &qp);
	p->ring_size = rsize;
	p->pending_size = psize;
	XFREE(MTYPE_TUNNEL_SAMPLES, old_ring);
	XFREE(MTYPE_TUNNEL_SAMPLES, old_pending);
}

/* An ICMP identifier no other prober on the socket uses. */
static void pick_echo_id(struct tunnel_prober *p)
{
	do {
		p->echo_id = frr_weak_random() & 0xffff;
	} while (tunnel_probers_find(&probers, p));
}

static void attach(struct tunnel_prober *p)
{
	p->sock = sock_get(p->cfg.vrf_id, dst_family(&p->cfg), p->cfg.mode);
	if (!p->sock)
		return;
	if (p->cfg.mode == TUNNEL_PROBE_ICMP)
		pick_echo_id(p);
	if (tunnel_probers_add(&probers, p))
		zlog_warn("probes: two tunnels probe %pIA port %u in the same VRF; replies go to one of them",
			  &p->cfg.dst, p->cfg.port);
}

static void detach(struct tunnel_prober *p)
{
	if (!p->sock)
		return;
	if (tunnel_probers_find(&probers, p) == p)
		tunnel_probers_del(&probers, p);
	sock_put(&p->sock);
}

struct tunnel_prober *tunnel_prober_new(const struct tunnel_prober_cfg *cfg,
					tunnel_prober_notify notify, void *arg)
{
	struct tunnel_prober *p = XCALLOC(MTYPE_TUNNEL_PROBER, sizeof(*p));

	p->cfg = *cfg;
	p->notify = notify;
	p->arg = arg;
	p->last_reply_ns = tunnel_clock_mono_ns();
	quality_setup(p, true);
	attach(p);
	/* Spread the first probes of many tunnels over one interval. */
	sched_add(p, (frr_weak_random() % cfg->timing.interval_ms) * NSEC_PER_MSEC);
	return p;
}

void tunnel_prober_set(struct tunnel_prober *p, const struct tunnel_prober_cfg *cfg)
{
	bool rekey = cfg->mode != p->cfg.mode || cfg->vrf_id != p->cfg.vrf_id ||
		     cfg->port != p->cfg.port || ipaddr_cmp(&cfg->dst, &p->cfg.dst);
	bool requality = cfg->alpha != p->cfg.alpha ||
			 cfg->timing.window != p->cfg.timing.window ||
			 cfg->timing.timeout_ms != p->cfg.timing.timeout_ms ||
			 cfg->timing.interval_ms != p->cfg.timing.interval_ms;
	bool retime = cfg->timing.interval_ms != p->cfg.timing.interval_ms;

	if (rekey)
		detach(p);
	if (rekey || cfg->ifindex != p->cfg.ifindex)
		DEBUGD(&tunnel_dbg_probe, "probes to %pIA now via ifindex %u", &cfg->dst,
		       cfg->ifindex);
	p->cfg = *cfg;
	if (rekey)
		attach(p);
	if (requality)
		quality_setup(p, false);
	if (retime) {
		tunnel_probe_sched_del(&probe_sched, p);
		sched_add(p, (uint64_t)cfg->timing.interval_ms * NSEC_PER_MSEC);
	}
}

void tunnel_prober_clear(struct tunnel_prober *p)
{
	tunnel_quality_reset(&p->q, frr_weak_random());
	p->sent_since_reply = 0;
	p->last_reply_ns = tunnel_clock_mono_ns();
}

void tunnel_prober_free(struct tunnel_prober **pp)
{
	struct tunnel_prober *p = *pp;

	if (!p)
		return;
	sched_del(p);
	detach(p);
	XFREE(MTYPE_TUNNEL_SAMPLES, p->ring);
	XFREE(MTYPE_TUNNEL_SAMPLES, p->pending);
	XFREE(MTYPE_TUNNEL_PROBER, p);
	*pp = NULL;
}

void tunnel_probe_unmatched(uint64_t *unmatched)
{
	*unmatched = probe_unmatched;
}

void tunnel_probe_init(struct event_loop *master)
{
	probe_master = master;
	probe_socks_init(&probe_socks);
	tunnel_probers_init(&probers);
	tunnel_probe_sched_init(&probe_sched);
}

void tunnel_probe_fini(void)
{
	struct tunnel_probe_sock *s;

	EVENT_OFF(t_sched);
	while ((s = probe_socks_pop(&probe_socks))) {
		EVENT_OFF(s->t_read);
		close(s->fd);
		XFREE(MTYPE_TUNNEL_PROBE_SOCK, s);
	}
}
