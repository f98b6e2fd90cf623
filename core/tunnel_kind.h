// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * The table of tunnel kinds: everything that differs between GRE, ip6gre,
 * VTI, VTI6, XFRM and WireGuard lives in one entry per kind, so the rest of
 * the daemon asks the table instead of testing the kind.
 *
 * Standard C only: this file builds without libfrr.
 */
#ifndef _TUNNELD_TUNNEL_KIND_H
#define _TUNNELD_TUNNEL_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum tunnel_kind {
	TUNNEL_KIND_GRE,
	TUNNEL_KIND_IP6GRE,
	TUNNEL_KIND_VTI,
	TUNNEL_KIND_VTI6,
	TUNNEL_KIND_XFRM,
	TUNNEL_KIND_WIREGUARD,
	TUNNEL_KIND_MAX,
};

/* Underlay address families, as a mask in tunnel_kind_ops.families. */
#define TUNNEL_AF_IPV4 (1U << 0)
#define TUNNEL_AF_IPV6 (1U << 1)

/*
 * Settings of a tunnel, as a mask: what a kind takes (.settings) and which of
 * those the kernel changes on the existing link (.inplace).  A change to a
 * setting the kind takes but cannot change in place means deleting and
 * re-creating the interface.
 */
enum tunnel_setting {
	TUNNEL_SET_LOCAL = 1U << 0,	      /* underlay source address */
	TUNNEL_SET_REMOTE = 1U << 1,	      /* underlay destination */
	TUNNEL_SET_DEVICE = 1U << 2,	      /* underlay device the link is bound to */
	TUNNEL_SET_MTU = 1U << 3,	      /* IFLA_MTU */
	TUNNEL_SET_VRF = 1U << 4,	      /* overlay VRF (IFLA_MASTER) */
	TUNNEL_SET_TTL = 1U << 5,	      /* GRE ttl, ip6gre hoplimit */
	TUNNEL_SET_GRE_KEY = 1U << 6,	      /* GRE ikey/okey and their flags */
	TUNNEL_SET_GRE_CSUM = 1U << 7,	      /* GRE checksum flags */
	TUNNEL_SET_VTI_KEYS = 1U << 8,	      /* VTI ikey/okey (SA marks) */
	TUNNEL_SET_XFRM_IF_ID = 1U << 9,      /* IFLA_XFRM_IF_ID */
	TUNNEL_SET_WG_PRIVATE_KEY = 1U << 10, /* WireGuard, over generic netlink */
	TUNNEL_SET_WG_LISTEN_PORT = 1U << 11,
	TUNNEL_SET_WG_FWMARK = 1U << 12,
	TUNNEL_SET_WG_PEERS = 1U << 13,
	/*
	 * GRE sequence numbers and the ip6gre encapsulation limit option: never
	 * configured, tunneld always turns both off; a link made by someone else
	 * may have them (they change the overhead).
	 */
	TUNNEL_SET_GRE_EXTRAS = 1U << 14,
};

/* What the overhead depends on besides the kind. */
struct tunnel_kind_opts {
	int underlay_family; /* AF_INET or AF_INET6 */
	bool gre_key;	     /* GRE key field present (+4) */
	bool gre_csum;	     /* GRE checksum field present (+4) */
	/* GRE sequence number present (+4): never set by tunneld, an adopted link may have it. */
	bool gre_seq;
	/*
	 * ip6gre: tunnel encapsulation limit option present (+8).  The kernel
	 * adds it unless IP6_TNL_F_IGN_ENCAP_LIMIT ("encaplimit none") is set.
	 */
	bool ip6_encap_limit;
};

struct nlattr;
struct nlmsghdr;
struct tunnel_link;

/* Values tunneld uses when the configuration leaves a setting out. */
struct tunnel_kind_defaults {
	uint8_t ttl;	      /* 0: copy the inner packet's TTL / hop limit */
	uint16_t listen_port; /* 0: the kernel picks a port */
	uint16_t peer_port;   /* far end's port when a peer gives none */
};

struct tunnel_kind_ops {
	const char *name; /* YANG enum frr-tunneld:tunnel-kind */
	enum tunnel_kind kind;
	const char *info_kind;	/* IFLA_INFO_KIND */
	unsigned int families;	/* TUNNEL_AF_* the underlay may use */
	bool needs_destination; /* underlay/destination is required */
	uint32_t settings;	/* TUNNEL_SET_* the kind takes */
	uint32_t inplace;	/* subset of .settings changed on the live link */
	struct tunnel_kind_defaults defaults;

	/* Bytes the encapsulation adds; opts->underlay_family is accepted. */
	unsigned int (*overhead)(const struct tunnel_kind_opts *opts);

	/*
	 * The kind's rtnetlink attributes (IFLA_INFO_DATA), implemented in
	 * tunnel_link.c; NULL for WireGuard, which has none (its configuration
	 * goes over generic netlink, see tunnel_wg.h).
	 *
	 * put_info_data: append every attribute of the kind to nlh (the message
	 * lives in a buffer of buflen bytes): a change that leaves one out resets
	 * it.  0, or -1 with errno EMSGSIZE (no room) or EINVAL (tl does not fit
	 * the kind, e.g. an IPv6 local address on gre).
	 *
	 * parse_info_data: read the kernel's IFLA_INFO_DATA nest into tl's
	 * kind-specific fields.  0, or -1 (errno EBADMSG) for a malformed one.
	 */
	int (*put_info_data)(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl);
	int (*parse_info_data)(const struct nlattr *data, struct tunnel_link *tl);

	/*
	 * The TUNNEL_SET_* bits of the kind's own settings (not MTU or VRF, which
	 * are common) in which @have, the kernel's link, differs from @want.
	 * Never NULL.
	 */
	uint32_t (*diff)(const struct tunnel_link *want, const struct tunnel_link *have);
};

/* The entry whose YANG name is @name; NULL for NULL or an unknown name. */
const struct tunnel_kind_ops *tunnel_kind_by_name(const char *name);

/* The entry whose IFLA_INFO_KIND is @info_kind; NULL for NULL or unknown. */
const struct tunnel_kind_ops *tunnel_kind_by_info_kind(const char *info_kind);

/* The entry for @kind; NULL when @kind is out of range. */
const struct tunnel_kind_ops *tunnel_kind_get(enum tunnel_kind kind);

/* Whether @ops runs over the address family @af (AF_INET, AF_INET6). */
bool tunnel_kind_accepts_family(const struct tunnel_kind_ops *ops, int af);

/*
 * Encapsulation overhead in bytes, or -EINVAL for NULL arguments and
 * -EAFNOSUPPORT when the kind cannot run over opts->underlay_family.
 */
int tunnel_kind_overhead(const struct tunnel_kind_ops *ops, const struct tunnel_kind_opts *opts);

/* Whether changing the settings in @changed needs the link re-created. */
bool tunnel_kind_needs_recreate(const struct tunnel_kind_ops *ops, uint32_t changed);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_KIND_H */
