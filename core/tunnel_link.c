// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * rtnetlink messages for tunnel links: RTM_NEWLINK/DELLINK/GETLINK and
 * RTM_NEWADDR/DELADDR requests, the parser of the kernel's RTM_NEWLINK,
 * and the per-kind IFLA_INFO_DATA codecs that the kind table points to.
 *
 * The attribute encodings are those of iproute2's ip/link_gre.c,
 * link_gre6.c, link_vti.c, link_vti6.c and link_xfrm.c, which is what the
 * kernel's policies (ipgre_policy, ip6gre_policy, vti_policy,
 * vti6_policy, xfrmi_policy) accept: addresses and GRE/VTI keys in network
 * byte order, GRE flags as the big-endian GRE header bits, the ip6gre
 * tunnel flags, link indexes and the XFRM if_id in host order.
 *
 * Everything the kernel (or anyone else) sends is checked before it is
 * read: lengths against the message, each used attribute's size against
 * its type, and nothing may trail the last attribute.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* with -std=c11: struct in6_addr's fields, strnlen */
#endif
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h> /* before the kernel's headers, which then leave its names alone */
#include <netinet/in.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/ip6_tunnel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "tunnel_link.h"

/*
 * Attribute walking.  mnl_attr_parse_payload() stops quietly at the first
 * attribute that does not fit what is left; a parser that must reject a
 * truncated or overrunning message needs to know it stopped early.
 */
struct attr_walk {
	mnl_attr_cb_t cb;
	void *data;
	const char *base;
	size_t used; /* bytes up to the end of the last attribute, padded */
};

static int walk_one(const struct nlattr *attr, void *arg)
{
	struct attr_walk *w = arg;

	w->used = (size_t)((const char *)attr - w->base) + MNL_ALIGN(attr->nla_len);
	return w->cb(attr, w->data);
}

int tunnel_nl_walk(const void *payload, size_t len, mnl_attr_cb_t cb, void *data)
{
	struct attr_walk w = { .cb = cb, .data = data, .base = payload };

	if (len > INT_MAX)
		return -1;
	if (mnl_attr_parse_payload(payload, len, walk_one, &w) != MNL_CB_OK)
		return -1;
	/* Only the padding of the last attribute may be missing, none may trail. */
	return w.used >= len ? 0 : -1;
}

static int walk_nested(const struct nlattr *nest, mnl_attr_cb_t cb, void *data)
{
	return tunnel_nl_walk(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest), cb, data);
}

static int accept_any(const struct nlattr *attr, void *data)
{
	(void)attr;
	(void)data;
	return MNL_CB_OK;
}

/* Attribute tables: tb[type] for each used type that validated. */
struct attr_tb {
	const struct nlattr **tb;
	unsigned int max;
	const enum mnl_attr_data_type *types; /* MNL_TYPE_UNSPEC: not used */
	const uint16_t *lens;		      /* exact payload size for MNL_TYPE_BINARY */
};

static int tb_cb(const struct nlattr *attr, void *data)
{
	const struct attr_tb *t = data;
	uint16_t type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type dt;
	int ret;

	if (type > t->max || t->types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK; /* not one we use: ignored */
	dt = t->types[type];
	if (dt == MNL_TYPE_BINARY)
		ret = mnl_attr_validate2(attr, dt, t->lens ? t->lens[type] : 0);
	else
		ret = mnl_attr_validate(attr, dt);
	if (ret < 0)
		return MNL_CB_ERROR;
	t->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_tb(const void *payload, size_t len, struct attr_tb *t)
{
	return tunnel_nl_walk(payload, len, tb_cb, t);
}

static int parse_tb_nested(const struct nlattr *nest, struct attr_tb *t)
{
	if (walk_nested(nest, tb_cb, t) < 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* A NUL-terminated string attribute that must fit dst (NUL included). */
static int get_str(const struct nlattr *attr, char *dst, size_t size)
{
	const char *s = mnl_attr_get_str(attr);
	size_t n = strnlen(s, mnl_attr_get_payload_len(attr));

	if (n >= size)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static uint32_t get_be32(const struct nlattr *attr)
{
	return ntohl(mnl_attr_get_u32(attr));
}

/* An address attribute of @family (its size already validated); any is "not set". */
static void get_ip(const struct nlattr *attr, int family, struct tunnel_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (family == AF_INET) {
		memcpy(&ip->u.v4, mnl_attr_get_payload(attr), sizeof(ip->u.v4));
		if (ip->u.v4.s_addr != htonl(INADDR_ANY))
			ip->family = AF_INET;
	} else {
		memcpy(&ip->u.v6, mnl_attr_get_payload(attr), sizeof(ip->u.v6));
		if (!IN6_IS_ADDR_UNSPECIFIED(&ip->u.v6))
			ip->family = AF_INET6;
	}
}

static bool ip_equal(const struct tunnel_ip *a, const struct tunnel_ip *b)
{
	if (a->family != b->family)
		return false;
	switch (a->family) {
	case AF_INET:
		return a->u.v4.s_addr == b->u.v4.s_addr;
	case AF_INET6:
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	default:
		return true;
	}
}

/*
 * An address to put for @family: tl's when it has that family, the any
 * address when unset; false when it is of another family.
 */
static bool put_ip(struct nlmsghdr *nlh, size_t buflen, uint16_t type, int family,
		   const struct tunnel_ip *ip, bool *ok)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;
	struct in_addr any4 = { .s_addr = htonl(INADDR_ANY) };

	if (ip->family != 0 && ip->family != family)
		return false;
	if (family == AF_INET)
		*ok = *ok && mnl_attr_put_check(nlh, buflen, type, sizeof(any4),
						ip->family ? &ip->u.v4 : &any4);
	else
		*ok = *ok && mnl_attr_put_check(nlh, buflen, type, sizeof(any6),
						ip->family ? &ip->u.v6 : &any6);
	return true;
}

static int put_result(bool fits, bool valid)
{
	if (!valid) {
		errno = EINVAL;
		return -1;
	}
	if (!fits) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/*
 * GRE and ip6gre.  tunneld keys and checksums both directions alike, never
 * uses sequence numbers, keeps path MTU discovery on, and turns the ip6gre
 * encapsulation limit option off so the overhead is the table's.
 */
static int gre_put(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl, int family)
{
	uint16_t flags = tl->gre_key_set ? GRE_KEY : 0;
	uint32_t key = tl->gre_key_set ? htonl(tl->gre_key) : 0;
	bool ok = true, valid;

	if (tl->gre_csum)
		flags |= GRE_CSUM;
	valid = put_ip(nlh, buflen, IFLA_GRE_LOCAL, family, &tl->local, &ok) &&
		put_ip(nlh, buflen, IFLA_GRE_REMOTE, family, &tl->remote, &ok);
	ok = ok && mnl_attr_put_u32_check(nlh, buflen, IFLA_GRE_LINK, tl->link_ifindex) &&
	     mnl_attr_put_u8_check(nlh, buflen, IFLA_GRE_TTL, tl->ttl) &&
	     mnl_attr_put_u16_check(nlh, buflen, IFLA_GRE_IFLAGS, flags) &&
	     mnl_attr_put_u16_check(nlh, buflen, IFLA_GRE_OFLAGS, flags) &&
	     mnl_attr_put_u32_check(nlh, buflen, IFLA_GRE_IKEY, key) &&
	     mnl_attr_put_u32_check(nlh, buflen, IFLA_GRE_OKEY, key);
	if (family == AF_INET)
		ok = ok && mnl_attr_put_u8_check(nlh, buflen, IFLA_GRE_PMTUDISC, 1);
	else
		ok = ok &&
		     mnl_attr_put_u32_check(nlh, buflen, IFLA_GRE_FLAGS, IP6_TNL_F_IGN_ENCAP_LIMIT);
	return put_result(ok, valid);
}

int tunnel_gre_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl)
{
	return gre_put(nlh, buflen, tl, AF_INET);
}

int tunnel_ip6gre_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl)
{
	return gre_put(nlh, buflen, tl, AF_INET6);
}

static const enum mnl_attr_data_type gre_types[IFLA_GRE_MAX + 1] = {
	[IFLA_GRE_LINK] = MNL_TYPE_U32,	     [IFLA_GRE_IFLAGS] = MNL_TYPE_U16,
	[IFLA_GRE_OFLAGS] = MNL_TYPE_U16,    [IFLA_GRE_IKEY] = MNL_TYPE_U32,
	[IFLA_GRE_OKEY] = MNL_TYPE_U32,	     [IFLA_GRE_LOCAL] = MNL_TYPE_BINARY,
	[IFLA_GRE_REMOTE] = MNL_TYPE_BINARY, [IFLA_GRE_TTL] = MNL_TYPE_U8,
	[IFLA_GRE_FLAGS] = MNL_TYPE_U32,
};

static const uint16_t gre4_lens[IFLA_GRE_MAX + 1] = {
	[IFLA_GRE_LOCAL] = sizeof(struct in_addr),
	[IFLA_GRE_REMOTE] = sizeof(struct in_addr),
};

static const uint16_t gre6_lens[IFLA_GRE_MAX + 1] = {
	[IFLA_GRE_LOCAL] = sizeof(struct in6_addr),
	[IFLA_GRE_REMOTE] = sizeof(struct in6_addr),
};

static int gre_parse(const struct nlattr *data, struct tunnel_link *tl, int family)
{
	const struct nlattr *tb[IFLA_GRE_MAX + 1] = {};
	struct attr_tb t = {
		.tb = tb,
		.max = IFLA_GRE_MAX,
		.types = gre_types,
		.lens = family == AF_INET ? gre4_lens : gre6_lens,
	};
	uint16_t iflags = 0, oflags = 0;
	uint32_t ikey = 0, okey = 0;

	if (parse_tb_nested(data, &t) < 0)
		return -1;
	if (tb[IFLA_GRE_LOCAL])
		get_ip(tb[IFLA_GRE_LOCAL], family, &tl->local);
	if (tb[IFLA_GRE_REMOTE])
		get_ip(tb[IFLA_GRE_REMOTE], family, &tl->remote);
	if (tb[IFLA_GRE_LINK])
		tl->link_ifindex = mnl_attr_get_u32(tb[IFLA_GRE_LINK]);
	if (tb[IFLA_GRE_TTL])
		tl->ttl = mnl_attr_get_u8(tb[IFLA_GRE_TTL]);
	if (tb[IFLA_GRE_IFLAGS])
		iflags = mnl_attr_get_u16(tb[IFLA_GRE_IFLAGS]);
	if (tb[IFLA_GRE_OFLAGS])
		oflags = mnl_attr_get_u16(tb[IFLA_GRE_OFLAGS]);
	if (tb[IFLA_GRE_IKEY])
		ikey = get_be32(tb[IFLA_GRE_IKEY]);
	if (tb[IFLA_GRE_OKEY])
		okey = get_be32(tb[IFLA_GRE_OKEY]);

	/* A key or checksum in one direction only is kept as "set" but marked. */
	tl->gre_key_set = (iflags | oflags) & GRE_KEY;
	tl->gre_key = (iflags & GRE_KEY) ? ikey : (oflags & GRE_KEY) ? okey : 0;
	tl->gre_key_asym = ((iflags ^ oflags) & GRE_KEY) ||
			   ((iflags & oflags & GRE_KEY) && ikey != okey);
	tl->gre_csum = (iflags | oflags) & GRE_CSUM;
	tl->gre_csum_asym = (iflags ^ oflags) & GRE_CSUM;
	tl->gre_seq = (iflags | oflags) & GRE_SEQ;
	if (family == AF_INET6) {
		uint32_t flags = tb[IFLA_GRE_FLAGS] ? mnl_attr_get_u32(tb[IFLA_GRE_FLAGS]) : 0;

		tl->ip6_encap_limit = !(flags & IP6_TNL_F_IGN_ENCAP_LIMIT);
	}
	return 0;
}

int tunnel_gre_parse_info_data(const struct nlattr *data, struct tunnel_link *tl)
{
	return gre_parse(data, tl, AF_INET);
}

int tunnel_ip6gre_parse_info_data(const struct nlattr *data, struct tunnel_link *tl)
{
	return gre_parse(data, tl, AF_INET6);
}

uint32_t tunnel_gre_diff(const struct tunnel_link *want, const struct tunnel_link *have)
{
	uint32_t d = 0;

	if (!ip_equal(&want->local, &have->local))
		d |= TUNNEL_SET_LOCAL;
	if (!ip_equal(&want->remote, &have->remote))
		d |= TUNNEL_SET_REMOTE;
	if (want->link_ifindex != have->link_ifindex)
		d |= TUNNEL_SET_DEVICE;
	if (want->ttl != have->ttl)
		d |= TUNNEL_SET_TTL;
	if (want->gre_key_set != have->gre_key_set ||
	    (want->gre_key_set && want->gre_key != have->gre_key) || want->gre_key_asym ||
	    have->gre_key_asym)
		d |= TUNNEL_SET_GRE_KEY;
	if (want->gre_csum != have->gre_csum || want->gre_csum_asym || have->gre_csum_asym)
		d |= TUNNEL_SET_GRE_CSUM;
	if (want->gre_seq || have->gre_seq || want->ip6_encap_limit || have->ip6_encap_limit)
		d |= TUNNEL_SET_GRE_EXTRAS;
	return d;
}

/* VTI and VTI6: the keys are the SAs' marks, big-endian like GRE keys. */
static int vti_put(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl, int family)
{
	bool ok = true, valid;

	valid = put_ip(nlh, buflen, IFLA_VTI_LOCAL, family, &tl->local, &ok) &&
		put_ip(nlh, buflen, IFLA_VTI_REMOTE, family, &tl->remote, &ok);
	ok = ok && mnl_attr_put_u32_check(nlh, buflen, IFLA_VTI_LINK, tl->link_ifindex) &&
	     mnl_attr_put_u32_check(nlh, buflen, IFLA_VTI_IKEY, htonl(tl->ikey)) &&
	     mnl_attr_put_u32_check(nlh, buflen, IFLA_VTI_OKEY, htonl(tl->okey));
	return put_result(ok, valid);
}

int tunnel_vti_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl)
{
	return vti_put(nlh, buflen, tl, AF_INET);
}

int tunnel_vti6_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl)
{
	return vti_put(nlh, buflen, tl, AF_INET6);
}

static const enum mnl_attr_data_type vti_types[IFLA_VTI_MAX + 1] = {
	[IFLA_VTI_LINK] = MNL_TYPE_U32,	     [IFLA_VTI_IKEY] = MNL_TYPE_U32,
	[IFLA_VTI_OKEY] = MNL_TYPE_U32,	     [IFLA_VTI_LOCAL] = MNL_TYPE_BINARY,
	[IFLA_VTI_REMOTE] = MNL_TYPE_BINARY,
};

static const uint16_t vti4_lens[IFLA_VTI_MAX + 1] = {
	[IFLA_VTI_LOCAL] = sizeof(struct in_addr),
	[IFLA_VTI_REMOTE] = sizeof(struct in_addr),
};

static const uint16_t vti6_lens[IFLA_VTI_MAX + 1] = {
	[IFLA_VTI_LOCAL] = sizeof(struct in6_addr),
	[IFLA_VTI_REMOTE] = sizeof(struct in6_addr),
};

static int vti_parse(const struct nlattr *data, struct tunnel_link *tl, int family)
{
	const struct nlattr *tb[IFLA_VTI_MAX + 1] = {};
	struct attr_tb t = {
		.tb = tb,
		.max = IFLA_VTI_MAX,
		.types = vti_types,
		.lens = family == AF_INET ? vti4_lens : vti6_lens,
	};

	if (parse_tb_nested(data, &t) < 0)
		return -1;
	if (tb[IFLA_VTI_LOCAL])
		get_ip(tb[IFLA_VTI_LOCAL], family, &tl->local);
	if (tb[IFLA_VTI_REMOTE])
		get_ip(tb[IFLA_VTI_REMOTE], family, &tl->remote);
	if (tb[IFLA_VTI_LINK])
		tl->link_ifindex = mnl_attr_get_u32(tb[IFLA_VTI_LINK]);
	if (tb[IFLA_VTI_IKEY])
		tl->ikey = get_be32(tb[IFLA_VTI_IKEY]);
	if (tb[IFLA_VTI_OKEY])
		tl->okey = get_be32(tb[IFLA_VTI_OKEY]);
	return 0;
}

int tunnel_vti_parse_info_data(const struct nlattr *data, struct tunnel_link *tl)
{
	return vti_parse(data, tl, AF_INET);
}

int tunnel_vti6_parse_info_data(const struct nlattr *data, struct tunnel_link *tl)
{
	return vti_parse(data, tl, AF_INET6);
}

uint32_t tunnel_vti_diff(const struct tunnel_link *want, const struct tunnel_link *have)
{
	uint32_t d = 0;

	if (!ip_equal(&want->local, &have->local))
		d |= TUNNEL_SET_LOCAL;
	if (!ip_equal(&want->remote, &have->remote))
		d |= TUNNEL_SET_REMOTE;
	if (want->link_ifindex != have->link_ifindex)
		d |= TUNNEL_SET_DEVICE;
	if (want->ikey != have->ikey || want->okey != have->okey)
		d |= TUNNEL_SET_VTI_KEYS;
	return d;
}

/* XFRM interfaces carry no addresses: those live in the SAs. */
int tunnel_xfrm_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl)
{
	bool ok = mnl_attr_put_u32_check(nlh, buflen, IFLA_XFRM_LINK, tl->link_ifindex) &&
		  mnl_attr_put_u32_check(nlh, buflen, IFLA_XFRM_IF_ID, tl->if_id);

	return put_result(ok, true);
}

static const enum mnl_attr_data_type xfrm_types[IFLA_XFRM_MAX + 1] = {
	[IFLA_XFRM_LINK] = MNL_TYPE_U32,
	[IFLA_XFRM_IF_ID] = MNL_TYPE_U32,
};

int tunnel_xfrm_parse_info_data(const struct nlattr *data, struct tunnel_link *tl)
{
	const struct nlattr *tb[IFLA_XFRM_MAX + 1] = {};
	struct attr_tb t = { .tb = tb, .max = IFLA_XFRM_MAX, .types = xfrm_types };

	if (parse_tb_nested(data, &t) < 0)
		return -1;
	if (tb[IFLA_XFRM_LINK])
		tl->link_ifindex = mnl_attr_get_u32(tb[IFLA_XFRM_LINK]);
	if (tb[IFLA_XFRM_IF_ID])
		tl->if_id = mnl_attr_get_u32(tb[IFLA_XFRM_IF_ID]);
	return 0;
}

uint32_t tunnel_xfrm_diff(const struct tunnel_link *want, const struct tunnel_link *have)
{
	uint32_t d = 0;

	/* Local and remote are not the link's: the kernel reports none. */
	if (want->link_ifindex != have->link_ifindex)
		d |= TUNNEL_SET_DEVICE;
	if (want->if_id != have->if_id)
		d |= TUNNEL_SET_XFRM_IF_ID;
	return d;
}

/* WireGuard's link has nothing of its own in rtnetlink. */
uint32_t tunnel_wireguard_diff(const struct tunnel_link *want, const struct tunnel_link *have)
{
	(void)want;
	(void)have;
	return 0;
}

/* Message builders. */

struct nlmsghdr *tunnel_nl_put_header(void *buf, size_t len, uint16_t type, uint16_t flags,
				      uint32_t seq, size_t extra)
{
	struct nlmsghdr *nlh;

	if (!buf) {
		errno = EINVAL;
		return NULL;
	}
	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(extra)) {
		errno = EMSGSIZE;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	mnl_nlmsg_put_extra_header(nlh, extra);
	return nlh;
}

static struct nlmsghdr *fail(int err)
{
	errno = err;
	return NULL;
}

struct nlmsghdr *tunnel_link_build_newlink(void *buf, size_t len, uint32_t seq,
					   const struct tunnel_link *tl)
{
	const struct tunnel_kind_ops *ops = tl ? tunnel_kind_get(tl->kind) : NULL;
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	bool create = tl && tl->ifindex == 0;
	size_t name_len, alias_len;
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	bool ok;

	if (!ops || tl->ifindex > INT_MAX)
		return fail(EINVAL);
	name_len = strnlen(tl->name, sizeof(tl->name));
	alias_len = strnlen(tl->alias, sizeof(tl->alias));
	/* A change may leave the name out; a new link needs one. */
	if (name_len >= sizeof(tl->name) || (create && name_len == 0) ||
	    alias_len >= sizeof(tl->alias))
		return fail(EINVAL);
	if (create)
		flags |= NLM_F_CREATE | NLM_F_EXCL;

	nlh = tunnel_nl_put_header(buf, len, RTM_NEWLINK, flags, seq, sizeof(*ifm));
	if (!nlh)
		return NULL;
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)tl->ifindex;
	ifm->ifi_flags = tl->up ? IFF_UP : 0;
	ifm->ifi_change = IFF_UP;

	ok = name_len == 0 || mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, tl->name);
	if (tl->mtu)
		ok = ok && mnl_attr_put_u32_check(nlh, len, IFLA_MTU, tl->mtu);
	if (alias_len)
		ok = ok && mnl_attr_put_strz_check(nlh, len, IFLA_IFALIAS, tl->alias);
	/* On a change, 0 takes the link out of its VRF; absent would keep it. */
	if (tl->master_ifindex || !create)
		ok = ok && mnl_attr_put_u32_check(nlh, len, IFLA_MASTER, tl->master_ifindex);
	linkinfo = ok ? mnl_attr_nest_start_check(nlh, len, IFLA_LINKINFO) : NULL;
	if (!linkinfo || !mnl_attr_put_strz_check(nlh, len, IFLA_INFO_KIND, ops->info_kind))
		return fail(EMSGSIZE);
	if (ops->put_info_data) {
		data = mnl_attr_nest_start_check(nlh, len, IFLA_INFO_DATA);
		if (!data)
			return fail(EMSGSIZE);
		if (ops->put_info_data(nlh, len, tl) < 0)
			return NULL;
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh;
}

struct nlmsghdr *tunnel_link_build_dellink(void *buf, size_t len, uint32_t seq, uint32_t ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	if (ifindex == 0 || ifindex > INT_MAX)
		return fail(EINVAL);
	nlh = tunnel_nl_put_header(buf, len, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, seq,
				   sizeof(*ifm));
	if (!nlh)
		return NULL;
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifindex;
	return nlh;
}

static struct nlmsghdr *build_getlink(void *buf, size_t len, uint32_t seq, uint32_t ifindex,
				      bool stats)
{
	uint16_t flags = NLM_F_REQUEST | (ifindex ? 0 : NLM_F_DUMP);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	if (ifindex > INT_MAX)
		return fail(EINVAL);
	nlh = tunnel_nl_put_header(buf, len, RTM_GETLINK, flags, seq, sizeof(*ifm));
	if (!nlh)
		return NULL;
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifindex;
	/* Statistics are most of a link's message: only asked for when read. */
	if (!stats && !mnl_attr_put_u32_check(nlh, len, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS))
		return fail(EMSGSIZE);
	return nlh;
}

struct nlmsghdr *tunnel_link_build_getlink(void *buf, size_t len, uint32_t seq, uint32_t ifindex)
{
	return build_getlink(buf, len, seq, ifindex, false);
}

struct nlmsghdr *tunnel_link_build_getstats(void *buf, size_t len, uint32_t seq, uint32_t ifindex)
{
	if (!ifindex)
		return fail(EINVAL);
	return build_getlink(buf, len, seq, ifindex, true);
}

struct nlmsghdr *tunnel_addr_build(void *buf, size_t len, uint32_t seq, int cmd, uint32_t ifindex,
				   const struct tunnel_ip *addr, uint8_t plen)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	size_t alen;
	const void *a;

	if (cmd == RTM_NEWADDR)
		flags |= NLM_F_CREATE | NLM_F_REPLACE;
	else if (cmd != RTM_DELADDR)
		return fail(EINVAL);
	if (!addr || ifindex == 0)
		return fail(EINVAL);
	if (addr->family == AF_INET && plen <= 32) {
		alen = sizeof(addr->u.v4);
		a = &addr->u.v4;
	} else if (addr->family == AF_INET6 && plen <= 128) {
		alen = sizeof(addr->u.v6);
		a = &addr->u.v6;
	} else {
		return fail(EINVAL);
	}

	nlh = tunnel_nl_put_header(buf, len, (uint16_t)cmd, flags, seq, sizeof(*ifa));
	if (!nlh)
		return NULL;
	ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_family = (uint8_t)addr->family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	/* Equal local and address: an address with a prefix, not a peer. */
	if (!mnl_attr_put_check(nlh, len, IFA_LOCAL, alen, a) ||
	    !mnl_attr_put_check(nlh, len, IFA_ADDRESS, alen, a))
		return fail(EMSGSIZE);
	return nlh;
}

struct nlmsghdr *tunnel_addr_build_dump(void *buf, size_t len, uint32_t seq, int family)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return fail(EINVAL);
	nlh = tunnel_nl_put_header(buf, len, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq,
				   sizeof(*ifa));
	if (!nlh)
		return NULL;
	ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_family = (uint8_t)family;
	return nlh;
}

int tunnel_addr_parse(const struct nlmsghdr *nlh, uint32_t *ifindex, struct tunnel_ip *addr,
		      uint8_t *plen)
{
	static const enum mnl_attr_data_type types[IFA_MAX + 1] = {
		[IFA_ADDRESS] = MNL_TYPE_BINARY,
		[IFA_LOCAL] = MNL_TYPE_BINARY,
	};
	const struct nlattr *tb[IFA_MAX + 1] = {};
	struct attr_tb t = { .tb = tb, .max = IFA_MAX, .types = types };
	const struct ifaddrmsg *ifa;
	const struct nlattr *a;
	size_t alen;

	memset(addr, 0, sizeof(*addr));
	*ifindex = 0;
	*plen = 0;
	if (!nlh || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR))
		goto bad;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (parse_tb(mnl_nlmsg_get_payload_offset(nlh, sizeof(*ifa)),
		     nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*ifa)), &t) < 0)
		goto bad;
	if (ifa->ifa_family == AF_INET && ifa->ifa_prefixlen <= 32)
		alen = sizeof(addr->u.v4);
	else if (ifa->ifa_family == AF_INET6 && ifa->ifa_prefixlen <= 128)
		alen = sizeof(addr->u.v6);
	else
		goto bad;
	/* IFA_LOCAL is the interface's own address (IFA_ADDRESS a peer's, on p2p). */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != alen)
		goto bad;
	addr->family = ifa->ifa_family;
	memcpy(&addr->u, mnl_attr_get_payload(a), alen);
	*ifindex = ifa->ifa_index;
	*plen = ifa->ifa_prefixlen;
	return 0;
bad:
	memset(addr, 0, sizeof(*addr));
	*ifindex = 0;
	*plen = 0;
	errno = EBADMSG;
	return -1;
}

/* Parser. */

static const enum mnl_attr_data_type link_types[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = MNL_TYPE_NUL_STRING, [IFLA_IFALIAS] = MNL_TYPE_NUL_STRING,
	[IFLA_MTU] = MNL_TYPE_U32,	     [IFLA_MASTER] = MNL_TYPE_U32,
	[IFLA_OPERSTATE] = MNL_TYPE_U8,	     [IFLA_LINKINFO] = MNL_TYPE_NESTED,
	[IFLA_STATS64] = MNL_TYPE_BINARY,
};

/*
 * struct rtnl_link_stats64 starts with these eight counters in every kernel
 * version; later fields were added at the end.  A shorter attribute is
 * malformed.  The payload is only 4-byte aligned, hence memcpy.
 */
static int parse_stats64(const struct nlattr *attr, struct tunnel_link_stats *st)
{
	uint64_t v[8];

	if (mnl_attr_get_payload_len(attr) < sizeof(v))
		return -1;
	memcpy(v, mnl_attr_get_payload(attr), sizeof(v));
	st->rx_packets = v[0];
	st->tx_packets = v[1];
	st->rx_bytes = v[2];
	st->tx_bytes = v[3];
	st->rx_errors = v[4];
	st->tx_errors = v[5];
	st->rx_dropped = v[6];
	st->tx_dropped = v[7];
	return 0;
}

static const enum mnl_attr_data_type linkinfo_types[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = MNL_TYPE_NUL_STRING,
	[IFLA_INFO_DATA] = MNL_TYPE_NESTED,
};

/* 1: one of ours, 0: another kind or none, -1: malformed. */
static int parse_linkinfo(const struct nlattr *linkinfo, struct tunnel_link *tl)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1] = {};
	struct attr_tb t = { .tb = tb, .max = IFLA_INFO_MAX, .types = linkinfo_types };
	const struct tunnel_kind_ops *ops = NULL;

	if (parse_tb_nested(linkinfo, &t) < 0)
		return -1;
	if (tb[IFLA_INFO_KIND])
		ops = tunnel_kind_by_info_kind(mnl_attr_get_str(tb[IFLA_INFO_KIND]));
	if (tb[IFLA_INFO_DATA]) {
		if (ops && ops->parse_info_data) {
			if (ops->parse_info_data(tb[IFLA_INFO_DATA], tl) < 0)
				return -1;
		} else if (walk_nested(tb[IFLA_INFO_DATA], accept_any, NULL) < 0) {
			return -1; /* not read, but it must still be well-formed */
		}
	}
	if (!ops)
		return 0;
	tl->kind = ops->kind;
	return 1;
}

static int parse_link(const struct nlmsghdr *nlh, struct tunnel_link *tl)
{
	const size_t hdrlen = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg));
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	struct attr_tb t = { .tb = tb, .max = IFLA_MAX, .types = link_types };
	const struct ifinfomsg *ifm;
	uint8_t operstate;

	if (nlh->nlmsg_len < hdrlen)
		return -1;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -1;
	ifm = mnl_nlmsg_get_payload(nlh);
	if (ifm->ifi_index <= 0)
		return -1;
	if (parse_tb((const char *)nlh + hdrlen, nlh->nlmsg_len - hdrlen, &t) < 0)
		return -1;

	tl->ifindex = (uint32_t)ifm->ifi_index;
	tl->up = ifm->ifi_flags & IFF_UP;
	/* IFF_RUNNING is the kernel's netif_oper_up(): operstate UP or UNKNOWN. */
	tl->oper_up = tl->up && (ifm->ifi_flags & IFF_RUNNING);
	if (tb[IFLA_OPERSTATE]) {
		operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
		if (operstate != IF_OPER_UP && operstate != IF_OPER_UNKNOWN)
			tl->oper_up = false;
	}
	if (tb[IFLA_IFNAME] && get_str(tb[IFLA_IFNAME], tl->name, sizeof(tl->name)) < 0)
		return -1;
	if (tb[IFLA_IFALIAS] && get_str(tb[IFLA_IFALIAS], tl->alias, sizeof(tl->alias)) < 0)
		return -1;
	if (tb[IFLA_MTU])
		tl->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MASTER])
		tl->master_ifindex = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_STATS64]) {
		if (parse_stats64(tb[IFLA_STATS64], &tl->stats) < 0)
			return -1;
		tl->stats_valid = true;
	}
	if (!tb[IFLA_LINKINFO])
		return 0;
	return parse_linkinfo(tb[IFLA_LINKINFO], tl);
}

static void link_reset(struct tunnel_link *tl)
{
	memset(tl, 0, sizeof(*tl));
	tl->kind = TUNNEL_KIND_MAX;
}

int tunnel_link_parse(const struct nlmsghdr *nlh, struct tunnel_link *tl)
{
	int ret;

	if (!tl) {
		errno = EINVAL;
		return -1;
	}
	link_reset(tl);
	if (!nlh) {
		errno = EINVAL;
		return -1;
	}
	ret = parse_link(nlh, tl);
	if (ret < 0) {
		link_reset(tl);
		errno = EBADMSG;
	}
	return ret;
}

uint32_t tunnel_link_diff(const struct tunnel_link *want, const struct tunnel_link *have)
{
	const struct tunnel_kind_ops *ops = want ? tunnel_kind_get(want->kind) : NULL;
	uint32_t d;

	if (!ops || !have)
		return 0;
	if (want->kind != have->kind)
		return ops->settings;
	d = ops->diff(want, have);
	if (want->mtu && want->mtu != have->mtu)
		d |= TUNNEL_SET_MTU;
	if (want->master_ifindex != have->master_ifindex)
		d |= TUNNEL_SET_VRF;
	return d & ops->settings;
}

bool tunnel_link_owned(const struct tunnel_link *tl)
{
	static const char prefix[] = TUNNEL_LINK_ALIAS_PREFIX;

	return tl && strncmp(tl->alias, prefix, sizeof(prefix) - 1) == 0;
}

/* Kernel text may hold anything: keep it printable for logs. */
static void copy_printable(char *dst, size_t size, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

static const enum mnl_attr_data_type ext_ack_types[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = MNL_TYPE_NUL_STRING,
};

const char *tunnel_nl_strerror(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	const size_t hdrlen = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nlmsgerr));
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	struct attr_tb t = { .tb = tb, .max = NLMSGERR_ATTR_MAX, .types = ext_ack_types };
	char msg[256] = "", unknown[32];
	const struct nlmsgerr *e;
	const char *what;
	size_t off = hdrlen;
	long long code;

	if (!buf || len == 0)
		return buf;
	if (!nlh || nlh->nlmsg_len < hdrlen || nlh->nlmsg_type != NLMSG_ERROR) {
		snprintf(buf, len, "malformed netlink error reply");
		return buf;
	}
	e = mnl_nlmsg_get_payload(nlh);
	code = e->error; /* negative; as long long so that -INT_MIN cannot overflow */
	if (code < 0)
		code = -code;
	if (code > INT_MAX) {
		snprintf(unknown, sizeof(unknown), "Unknown error %lld", code);
		what = unknown;
	} else {
		what = strerror((int)code);
	}

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* Without NLM_F_CAPPED the whole request is echoed before the TLVs. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < MNL_NLMSG_HDRLEN ||
			    e->msg.nlmsg_len > nlh->nlmsg_len - hdrlen)
				goto bad_ack;
			off += MNL_ALIGN(e->msg.nlmsg_len - MNL_NLMSG_HDRLEN);
		}
		if (off > nlh->nlmsg_len ||
		    parse_tb((const char *)nlh + off, nlh->nlmsg_len - off, &t) < 0)
			goto bad_ack;
		if (tb[NLMSGERR_ATTR_MSG])
			copy_printable(msg, sizeof(msg), mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]),
				       mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_MSG]));
	}
	if (msg[0])
		snprintf(buf, len, "%s: %s", what, msg);
	else
		snprintf(buf, len, "%s", what);
	return buf;

bad_ack:
	snprintf(buf, len, "%s (malformed extended ack)", what);
	return buf;
}
