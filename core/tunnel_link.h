// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Tunnel interfaces as rtnetlink sees them: the description of one link
 * that tunneld wants (or that the kernel has), the RTM_NEWLINK, RTM_DELLINK
 * and RTM_NEWADDR/RTM_DELADDR messages that make it so, the parser of the
 * kernel's RTM_NEWLINK, and the comparison of the two.
 *
 * Per-kind attributes (IFLA_INFO_DATA) are written, parsed and compared by
 * the kind's entry in the kind table (tunnel_kind.h), never by a switch
 * here.  Standard C, libmnl and the kernel's uapi headers only: no libfrr.
 */
#ifndef _TUNNELD_TUNNEL_LINK_H
#define _TUNNELD_TUNNEL_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <net/if.h>

#include "tunnel_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nlattr;
struct nlmsghdr;

/* An IPv4 or IPv6 address; family 0 means "not set". */
struct tunnel_ip {
	int family; /* 0, AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* The marker tunneld writes into IFLA_IFALIAS of the links it owns. */
#define TUNNEL_LINK_ALIAS_PREFIX "tunneld:"
#define TUNNEL_LINK_ALIAS_MAX	 256 /* IFALIASZ */

/* One tunnel link: what tunneld wants, or what the kernel reports. */
struct tunnel_link {
	enum tunnel_kind kind;
	char name[IF_NAMESIZE];
	uint32_t ifindex;	 /* the kernel's; 0 when creating */
	uint32_t mtu;		 /* 0: leave it to the kernel */
	uint32_t master_ifindex; /* overlay VRF device; 0: none */
	bool up;		 /* IFF_UP wanted / set */
	bool oper_up;		 /* parsed only: IFF_RUNNING / IFLA_OPERSTATE */
	char alias[TUNNEL_LINK_ALIAS_MAX];

	/* Underlay. */
	struct tunnel_ip local;
	struct tunnel_ip remote;
	uint32_t link_ifindex; /* underlay device; 0: none */

	/* Kind-specific (only the fields of the link's kind are meaningful). */
	uint8_t ttl;	  /* gre/ip6gre/vti: 0 = inherit */
	bool gre_key_set; /* GRE_KEY in both directions */
	uint32_t gre_key;
	bool gre_csum; /* GRE_CSUM in both directions */
	uint32_t ikey; /* vti/vti6 */
	uint32_t okey;
	uint32_t if_id; /* xfrm */

	/*
	 * Parsed only: what a link made by someone else may have and tunneld
	 * never sets (building ignores them).  tunnel_link_diff counts each as
	 * a difference, and a change, which carries tunneld's values, clears it.
	 */
	bool gre_key_asym;    /* GRE_KEY in one direction only, or ikey != okey */
	bool gre_csum_asym;   /* GRE_CSUM in one direction only */
	bool gre_seq;	      /* GRE_SEQ in either direction: +4 bytes */
	bool ip6_encap_limit; /* ip6gre without IP6_TNL_F_IGN_ENCAP_LIMIT: +8 bytes */

	/* Parsed only: the kernel's counters (IFLA_STATS64). */
	bool stats_valid;
	struct tunnel_link_stats {
		uint64_t rx_packets, tx_packets;
		uint64_t rx_bytes, tx_bytes;
		uint64_t rx_errors, tx_errors;
		uint64_t rx_dropped, tx_dropped;
	} stats;
};

/*
 * Message builders.  Each writes one complete netlink message into buf
 * (size len, at least MNL_SOCKET_BUFFER_SIZE is always enough) and returns
 * it, or NULL when it does not fit or an argument is invalid (errno set).
 * seq is the netlink sequence number; replies carry it back.
 */

/*
 * RTM_NEWLINK for @tl: NLM_F_CREATE|NLM_F_EXCL when tl->ifindex is 0
 * (create), otherwise a change of the existing link with every attribute
 * of the kind present (the kernel resets attributes a change leaves out).
 * Carries IFLA_IFNAME (a change may leave tl->name empty), IFLA_MTU (if
 * set), IFLA_IFALIAS (if set), IFLA_MASTER (if set; on a change always,
 * 0 taking the link out of its VRF), ifi_flags IFF_UP per tl->up, and
 * IFLA_LINKINFO with IFLA_INFO_KIND and the kind's IFLA_INFO_DATA.
 * Requests carry NLM_F_ACK.  Errors: EINVAL (unknown kind, name missing or
 * too long, an address of the wrong family for the kind), EMSGSIZE.
 *
 * Linux (6.12, net/core/rtnetlink.c rtnl_newlink_create) ignores
 * IFLA_IFALIAS when it creates a link: the alias, tunneld's mark, takes a
 * change (this builder with tl->ifindex set) after the create.
 */
struct nlmsghdr *tunnel_link_build_newlink(void *buf, size_t len, uint32_t seq,
					   const struct tunnel_link *tl);

/* RTM_DELLINK of ifindex. */
struct nlmsghdr *tunnel_link_build_dellink(void *buf, size_t len, uint32_t seq,
					   uint32_t ifindex);

/*
 * RTM_GETLINK: a dump of all links (ifindex 0) or one link, without the
 * statistics (IFLA_EXT_MASK RTEXT_FILTER_SKIP_STATS).
 */
struct nlmsghdr *tunnel_link_build_getlink(void *buf, size_t len, uint32_t seq,
					   uint32_t ifindex);

/* RTM_GETLINK of one link (ifindex > 0) with its statistics (IFLA_STATS64). */
struct nlmsghdr *tunnel_link_build_getstats(void *buf, size_t len, uint32_t seq,
					    uint32_t ifindex);

/*
 * RTM_NEWADDR (add, NLM_F_CREATE|NLM_F_REPLACE) or RTM_DELADDR of
 * addr/plen on ifindex; for IPv4 a /31 or shorter gets IFA_LOCAL and
 * IFA_ADDRESS equal (a point-to-point peer is not set).
 */
struct nlmsghdr *tunnel_addr_build(void *buf, size_t len, uint32_t seq, int cmd,
				   uint32_t ifindex, const struct tunnel_ip *addr,
				   uint8_t plen);

/* RTM_GETADDR: a dump of the addresses of one family (AF_UNSPEC: all). */
struct nlmsghdr *tunnel_addr_build_dump(void *buf, size_t len, uint32_t seq, int family);

/*
 * Parse an RTM_NEWADDR or RTM_DELADDR: the interface, the address
 * (IFA_LOCAL, else IFA_ADDRESS) and its prefix length.  Returns 0, or -1
 * with errno EBADMSG for a malformed message (outputs zeroed).
 */
int tunnel_addr_parse(const struct nlmsghdr *nlh, uint32_t *ifindex, struct tunnel_ip *addr,
		      uint8_t *plen);

/*
 * Parse an RTM_NEWLINK (reply or notification; an RTM_DELLINK notification
 * too) into @tl, whose nlmsg_len bytes the caller has (mnl_cb_run checks
 * that).  Returns 1 when the link is of a kind in the table (tl->kind set,
 * per-kind fields parsed by the kind), 0 for any other link (tl->kind is
 * TUNNEL_KIND_MAX; only name, ifindex, mtu, flags, alias, master filled),
 * and -1 for a malformed message (errno EBADMSG; EINVAL for NULL): another
 * message type, truncated headers, attributes overrunning the message or
 * their nest, bytes trailing the last attribute, wrong sizes, a string too
 * long for its field.  After -1, *tl is zeroed with kind TUNNEL_KIND_MAX.
 * Unknown attributes are ignored.
 */
int tunnel_link_parse(const struct nlmsghdr *nlh, struct tunnel_link *tl);

/*
 * The TUNNEL_SET_* settings in which @have (the kernel's) differs from
 * @want.  A want->mtu of 0 never differs; nor does the alias (ownership is
 * judged separately).  Different kinds: every setting of @want's kind.
 */
uint32_t tunnel_link_diff(const struct tunnel_link *want,
			  const struct tunnel_link *have);

/* Whether the alias marks a link tunneld owns. */
bool tunnel_link_owned(const struct tunnel_link *tl);

/*
 * Error text of a netlink error reply (NLMSG_ERROR with a negative
 * error), with the kernel's extended ack message when it sent one:
 * "Invalid argument: Unknown device type" -- into buf, returned.  For a
 * malformed reply, a text saying so.
 */
const char *tunnel_nl_strerror(const struct nlmsghdr *nlh, char *buf,
			       size_t len);

/*
 * Netlink helpers, shared with tunnel_wg.c.
 *
 * tunnel_nl_walk: call cb (libmnl's mnl_attr_cb_t) for each attribute of
 * [payload, payload + len) as mnl_attr_parse_payload() does, but return -1
 * when cb fails, an attribute overruns what is left, or bytes trail the
 * last attribute (its own padding excepted) -- libmnl stops there quietly.
 *
 * tunnel_nl_put_header: start a message of @type with @flags and @seq and
 * a zeroed family header of @extra bytes in buf; NULL (errno EINVAL for no
 * buf, EMSGSIZE when len is too small).
 */
int tunnel_nl_walk(const void *payload, size_t len,
		   int (*cb)(const struct nlattr *attr, void *data), void *data);
struct nlmsghdr *tunnel_nl_put_header(void *buf, size_t len, uint16_t type, uint16_t flags,
				      uint32_t seq, size_t extra);

/*
 * The kinds' IFLA_INFO_DATA codecs and comparisons, for the kind table
 * (tunnel_kind.c) only: everyone else goes through the table's entries.
 * See struct tunnel_kind_ops for what they do.
 */
int tunnel_gre_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl);
int tunnel_gre_parse_info_data(const struct nlattr *data, struct tunnel_link *tl);
int tunnel_ip6gre_put_info_data(struct nlmsghdr *nlh, size_t buflen,
				const struct tunnel_link *tl);
int tunnel_ip6gre_parse_info_data(const struct nlattr *data, struct tunnel_link *tl);
uint32_t tunnel_gre_diff(const struct tunnel_link *want, const struct tunnel_link *have);
int tunnel_vti_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl);
int tunnel_vti_parse_info_data(const struct nlattr *data, struct tunnel_link *tl);
int tunnel_vti6_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl);
int tunnel_vti6_parse_info_data(const struct nlattr *data, struct tunnel_link *tl);
uint32_t tunnel_vti_diff(const struct tunnel_link *want, const struct tunnel_link *have);
int tunnel_xfrm_put_info_data(struct nlmsghdr *nlh, size_t buflen, const struct tunnel_link *tl);
int tunnel_xfrm_parse_info_data(const struct nlattr *data, struct tunnel_link *tl);
uint32_t tunnel_xfrm_diff(const struct tunnel_link *want, const struct tunnel_link *have);
uint32_t tunnel_wireguard_diff(const struct tunnel_link *want, const struct tunnel_link *have);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_LINK_H */
