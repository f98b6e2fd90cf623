// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld: the daemon's configuration model and tunnel registry.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNELD_H
#define _TUNNELD_H

#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/prefix.h"
#include "lib/frrevent.h"
#include "lib/typesafe.h"
#include "lib/vrf.h"

#include "tunneld/tunnel_kind.h"
#include "tunneld/tunnel_link.h"

#define TUNNEL_REFNAME_MAX 33 /* YANG 'name' type: 1..32 characters */
#define TUNNEL_PATH_MAX 256
#define TUNNEL_WG_KEY_B64_LEN 44

/* Probe timing; in a tunnel, 0 means "take it from the profile". */
struct tunnel_probe_timing {
	uint32_t interval_ms;
	uint16_t window;
	uint32_t timeout_ms;
	uint8_t miss_count;
	uint8_t dscp;
	bool dscp_set; /* dscp 0 is a valid override */
	uint16_t size;
};

enum tunnel_cost_mode {
	TUNNEL_COST_LATENCY,
	TUNNEL_COST_COMPOSITE,
	TUNNEL_COST_SCORE,
};

PREDECL_RBTREE_UNIQ(tunnel_profiles);

/* A named quality profile; the built-in default has the YANG defaults. */
struct tunnel_profile {
	char name[TUNNEL_REFNAME_MAX];
	struct tunnel_probe_timing probe;
	double alpha;
	struct {
		double w_bandwidth, w_rtt, w_jitter, w_loss;
		uint32_t ref_bandwidth_kbps, ref_rtt_ms, ref_jitter_ms;
	} score;
	struct {
		uint32_t base;
		double scale, max_score;
	} lp;
	struct {
		enum tunnel_cost_mode mode;
		double beta, gamma, delta;
		uint16_t minimum, maximum, step, penalty;
	} cost;
	struct {
		double max_loss_pct;
		uint32_t max_rtt_ms;
		uint32_t recovery_s;
	} health;
	struct {
		uint32_t lp_deadband;
		uint8_t cost_deadband_pct;
		uint32_t holddown;
		uint32_t dwell_s;
	} hysteresis;

	struct tunnel_profiles_item item;
};

/* Prefix lists are kept sorted, IPv4 first, so output is stable. */
PREDECL_SORTLIST_UNIQ(tunnel_prefixes);
struct tunnel_prefix {
	struct prefix p;
	struct tunnel_prefixes_item item;
};
extern int tunnel_prefix_cmp(const struct tunnel_prefix *a,
			     const struct tunnel_prefix *b);
DECLARE_SORTLIST_UNIQ(tunnel_prefixes, struct tunnel_prefix, item,
		      tunnel_prefix_cmp);

PREDECL_DLIST(tunnel_wg_peers);
struct tunnel_wg_peer {
	char public_key[TUNNEL_WG_KEY_B64_LEN + 1];
	char psk_file[TUNNEL_PATH_MAX];
	struct ipaddr endpoint; /* IPADDR_NONE when not set */
	uint16_t endpoint_port;
	uint16_t keepalive_s;
	struct tunnel_prefixes_head allowed_ips;
	struct tunnel_wg_peers_item item;
};
DECLARE_DLIST(tunnel_wg_peers, struct tunnel_wg_peer, item);

enum tunnel_probe_mode {
	TUNNEL_PROBE_STAMP,
	TUNNEL_PROBE_ICMP,
	TUNNEL_PROBE_NONE,
};

/* Everything the operator configured for one tunnel. */
struct tunnel_config {
	const struct tunnel_kind_ops *kind;
	char *description;
	bool shutdown;
	bool adopt;
	char vrf[VRF_NAMSIZ];
	uint16_t mtu; /* 0: auto */
	char profile[TUNNEL_REFNAME_MAX];

	struct {
		struct ipaddr source; /* IPADDR_NONE when not set */
		char source_ifname[IFNAMSIZ];
		struct ipaddr destination;
		char vrf[VRF_NAMSIZ];
		char device[IFNAMSIZ];
	} underlay;

	struct tunnel_prefixes_head addresses;

	struct {
		bool key_set;
		uint32_t key;
		uint8_t ttl; /* 0: inherit */
		bool checksum;
	} gre;
	struct {
		uint32_t ikey, okey;
	} vti;
	struct {
		uint32_t if_id;
	} xfrm;
	struct {
		char private_key_file[TUNNEL_PATH_MAX];
		uint16_t listen_port; /* 0: kernel picks */
		uint32_t fwmark;
		struct tunnel_wg_peers_head peers;
	} wg;

	struct {
		enum tunnel_probe_mode mode;
		struct ipaddr destination;
		uint16_t port;
		struct tunnel_probe_timing timing;
	} probe;

	struct {
		bool enabled;
		char profile[TUNNEL_REFNAME_MAX];
	} bfd;

	bool ospf_dynamic_cost;
	bool ospf6_dynamic_cost;
	struct {
		char route_map[TUNNEL_REFNAME_MAX];
		uint16_t sequence;
	} bgp;
};

PREDECL_RBTREE_UNIQ(tunnels);

enum tunnel_mtu_source {
	TUNNEL_MTU_KERNEL, /* auto, but the underlay is not known yet */
	TUNNEL_MTU_CONFIG,
	TUNNEL_MTU_AUTO,
};

/* What tunneld knows and has done about a tunnel's interface. */
struct tunnel_state {
	uint32_t ifindex; /* 0: no link */
	bool owned;	  /* the link carries tunneld's alias */
	bool in_sync;	  /* the kernel matched the configuration last time */
	char last_error[256];
	uint32_t errors;
	uint32_t backoff_s;
	enum tunnel_mtu_source mtu_source;
	uint32_t mtu; /* the MTU tunneld asked for, 0: the kernel's */

	/* The underlay interface zebra resolves the destination to. */
	bool nht_registered;
	struct prefix nht_prefix;
	ifindex_t nht_ifindex;

	uint64_t wg_digest; /* of the WireGuard settings last applied */

	struct event *t_reconcile;
	struct event *t_retry;
};

struct tunnel_measure;
struct tunnel_decision;

struct tunnel {
	char name[IFNAMSIZ];
	struct tunnel_config cfg;
	struct tunnel_state st;
	struct tunnel_measure *meas;  /* tunnel_measure.c */
	struct tunnel_decision *dec;  /* tunnel_decide.c */

	struct tunnels_item item;
};

struct tunneld_globals {
	bool dry_run;
	uint16_t change_budget;
	struct {
		bool enable;
		uint16_t port;
		bool all_interfaces;
	} reflector;
};

extern struct tunneld_globals tunneld_globals;
extern struct event_loop *master;
extern struct zebra_privs_t tunnel_privs;
extern struct tunnels_head tunnels;
extern struct tunnel_profiles_head tunnel_profiles;
extern const struct tunnel_profile tunnel_profile_builtin;

extern int tunnel_cmp(const struct tunnel *a, const struct tunnel *b);
extern int tunnel_profile_cmp(const struct tunnel_profile *a,
			      const struct tunnel_profile *b);

DECLARE_RBTREE_UNIQ(tunnels, struct tunnel, item, tunnel_cmp);
DECLARE_RBTREE_UNIQ(tunnel_profiles, struct tunnel_profile, item,
		    tunnel_profile_cmp);

extern struct tunnel *tunnel_find(const char *name);
extern struct tunnel *tunnel_new(const char *name);
extern void tunnel_free(struct tunnel *tun);

extern void tunnel_config_init(struct tunnel_config *cfg);
extern void tunnel_config_clear(struct tunnel_config *cfg);

extern struct tunnel_profile *tunnel_profile_find(const char *name);
extern struct tunnel_profile *tunnel_profile_new(const char *name);
extern void tunnel_profile_free(struct tunnel_profile *prof);
/* The profile a tunnel uses: its named one, else the built-in default. */
extern const struct tunnel_profile *tunnel_profile_of(const struct tunnel *tun);

/* The probe timing in effect: the tunnel's own values, else its profile's. */
extern void tunnel_probe_timing_of(const struct tunnel *tun, struct tunnel_probe_timing *out);

/* The interface the tunnel is (or will be), if the kernel has it. */
extern struct interface *tunnel_ifp(const struct tunnel *tun);

/*
 * What the configuration still lacks before the tunnel can be made (a
 * kind, an underlay destination, keys), as the CLI words; NULL when
 * complete.  mgmtd accepts an incomplete tunnel so it can be entered one
 * command at a time.
 */
extern const char *tunnel_config_missing(const struct tunnel_config *cfg);

/* FRR's address types to core's. */
extern void tunnel_ip_from_ipaddr(struct tunnel_ip *out, const struct ipaddr *in);
extern void tunnel_ip_from_prefix(struct tunnel_ip *out, const struct prefix *p);

extern const char *tunnel_mtu_source_name(enum tunnel_mtu_source src);
extern const char *tunnel_probe_mode_name(enum tunnel_probe_mode mode);
extern const char *tunnel_cost_mode_name(enum tunnel_cost_mode mode);

extern void tunneld_init(void);
extern void tunneld_terminate(void);

#endif /* _TUNNELD_H */
