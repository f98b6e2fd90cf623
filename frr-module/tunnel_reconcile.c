// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Make the kernel's tunnel interfaces match the configuration.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * Desired state is the configuration; the kernel's state is read back
 * with RTM_GETLINK each time, never remembered, so an interface changed or
 * deleted by hand is noticed.  Only links that carry tunneld's alias (or
 * that the operator told tunneld to adopt) are ever changed or deleted.
 * A link is changed in place where the kernel allows and re-created only
 * where it must (the kind table says which).  A failure is recorded on
 * the tunnel, logged, and retried with backoff; it never touches another
 * tunnel or the configuration.
 */
#include <zebra.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/prefix.h"
#include "lib/vrf.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_link.h"
#include "tunneld/tunnel_mtu.h"
#include "tunneld/tunnel_netlink.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_reconcile.h"
#include "tunneld/tunnel_wireguard.h"
#include "tunneld/tunnel_zebra.h"

#define RECONCILE_PERIOD_S 10
#define BACKOFF_MAX_S 60

static struct event_loop *tunnel_master;
static struct event *t_periodic;

static void tunnel_reconcile_run(struct event *e);

static struct vrf *vrf_of(const char *name)
{
	return name[0] ? vrf_lookup_by_name(name) : vrf_lookup_by_id(VRF_DEFAULT);
}

/* The ifindex of a VRF's device, 0 for the default VRF. */
static int vrf_device(const char *name, uint32_t *ifindex, char *err, size_t errlen)
{
	struct vrf *vrf;
	struct interface *ifp;

	*ifindex = 0;
	if (!name[0])
		return 0;
	vrf = vrf_lookup_by_name(name);
	ifp = vrf ? if_lookup_by_name_vrf(name, vrf) : NULL;
	if (!vrf || !vrf_is_enabled(vrf) || !ifp || ifp->ifindex == IFINDEX_INTERNAL) {
		snprintf(err, errlen, "VRF %s does not exist", name);
		return -1;
	}
	*ifindex = ifp->ifindex;
	return 0;
}

static struct interface *underlay_ifp(const struct tunnel *tun, const char *name)
{
	struct vrf *vrf = vrf_of(tun->cfg.underlay.vrf);
	struct interface *ifp = vrf ? if_lookup_by_name_vrf(name, vrf) : NULL;

	return ifp && ifp->ifindex != IFINDEX_INTERNAL ? ifp : NULL;
}

/* The underlay family: the destination's, else the first peer's endpoint. */
static int underlay_family(const struct tunnel_config *c)
{
	const struct tunnel_wg_peer *peer;

	if (c->underlay.destination.ipa_type != IPADDR_NONE)
		return IS_IPADDR_V4(&c->underlay.destination) ? AF_INET : AF_INET6;
	if (c->underlay.source.ipa_type != IPADDR_NONE)
		return IS_IPADDR_V4(&c->underlay.source) ? AF_INET : AF_INET6;
	frr_each (tunnel_wg_peers_const, &c->wg.peers, peer)
		if (peer->endpoint.ipa_type != IPADDR_NONE)
			return IS_IPADDR_V4(&peer->endpoint) ? AF_INET : AF_INET6;
	return AF_INET;
}

/*
 * The MTU to ask for: the configured one, or the underlay's less the
 * kind's overhead once the underlay interface is known (its device, the
 * source interface, or where zebra routes the destination).
 */
static int want_mtu(struct tunnel *tun, const struct tunnel_link *want, char *err,
		    size_t errlen)
{
	const struct tunnel_config *c = &tun->cfg;
	struct interface *ifp = NULL;
	struct tunnel_kind_opts opts = {
		.underlay_family = underlay_family(c),
		.gre_key = c->gre.key_set,
		.gre_csum = c->gre.checksum,
	};
	int mtu;

	if (c->mtu) {
		tun->st.mtu_source = TUNNEL_MTU_CONFIG;
		tun->st.mtu = c->mtu;
		return 0;
	}
	if (c->underlay.device[0])
		ifp = underlay_ifp(tun, c->underlay.device);
	else if (c->underlay.source_ifname[0])
		ifp = underlay_ifp(tun, c->underlay.source_ifname);
	else if (tun->st.nht_ifindex)
		ifp = if_lookup_by_index(tun->st.nht_ifindex, vrf_of(c->underlay.vrf)
								      ? vrf_of(c->underlay.vrf)->vrf_id
								      : VRF_DEFAULT);
	if (!ifp || !ifp->mtu) {
		tun->st.mtu_source = TUNNEL_MTU_KERNEL;
		tun->st.mtu = 0;
		return 0;
	}
	mtu = tunnel_mtu_auto(tunnel_kind_get(want->kind), &opts, ifp->mtu);
	if (mtu < 0) {
		snprintf(err, errlen, "mtu auto: underlay %s (MTU %u) is too small for %s",
			 ifp->name, ifp->mtu, c->kind->name);
		return -1;
	}
	tun->st.mtu_source = TUNNEL_MTU_AUTO;
	tun->st.mtu = mtu;
	return 0;
}

/* The first address of @family on an interface, for 'underlay source interface'. */
static int source_from_interface(const struct tunnel *tun, int family, struct tunnel_ip *out,
				 char *err, size_t errlen)
{
	struct interface *ifp = underlay_ifp(tun, tun->cfg.underlay.source_ifname);
	struct connected *ifc;

	if (!ifp) {
		snprintf(err, errlen, "underlay source interface %s does not exist",
			 tun->cfg.underlay.source_ifname);
		return -1;
	}
	frr_each (if_connected, ifp->connected, ifc) {
		if (ifc->address->family != family)
			continue;
		if (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&ifc->address->u.prefix6))
			continue;
		tunnel_ip_from_prefix(out, ifc->address);
		return 0;
	}
	snprintf(err, errlen, "underlay source interface %s has no %s address", ifp->name,
		 family == AF_INET ? "IPv4" : "IPv6");
	return -1;
}

/* Translate the configuration into the link tunneld wants. */
static int tunnel_want(struct tunnel *tun, struct tunnel_link *want, char *err, size_t errlen)
{
	const struct tunnel_config *c = &tun->cfg;
	struct interface *dev;

	memset(want, 0, sizeof(*want));
	want->kind = c->kind->kind;
	strlcpy(want->name, tun->name, sizeof(want->name));
	want->up = !c->shutdown;
	snprintf(want->alias, sizeof(want->alias), TUNNEL_LINK_ALIAS_PREFIX "%s",
		 c->description ? c->description : "");

	if (vrf_device(c->vrf, &want->master_ifindex, err, errlen) < 0)
		return -1;

	tunnel_ip_from_ipaddr(&want->remote, &c->underlay.destination);
	if (c->underlay.source.ipa_type != IPADDR_NONE)
		tunnel_ip_from_ipaddr(&want->local, &c->underlay.source);
	else if (c->underlay.source_ifname[0] &&
		 source_from_interface(tun, underlay_family(c), &want->local, err, errlen) < 0)
		return -1;

	/* The underlay runs over its device, else in its VRF's table. */
	if (c->underlay.device[0]) {
		dev = underlay_ifp(tun, c->underlay.device);
		if (!dev) {
			snprintf(err, errlen, "underlay device %s does not exist",
				 c->underlay.device);
			return -1;
		}
		want->link_ifindex = dev->ifindex;
	} else if (vrf_device(c->underlay.vrf, &want->link_ifindex, err, errlen) < 0) {
		return -1;
	}

	want->ttl = c->gre.ttl;
	want->gre_key_set = c->gre.key_set;
	want->gre_key = c->gre.key;
	want->gre_csum = c->gre.checksum;
	want->ikey = c->vti.ikey;
	want->okey = c->vti.okey;
	want->if_id = c->xfrm.if_id;

	if (want_mtu(tun, want, err, errlen) < 0)
		return -1;
	want->mtu = tun->st.mtu;
	return 0;
}

struct getlink_ctx {
	struct tunnel_link *have;
	int found;
};

static int getlink_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct getlink_ctx *ctx = arg;
	int r = tunnel_link_parse(nlh, ctx->have);

	if (r < 0)
		return -1;
	ctx->found = 1;
	return 0;
}

/* Read the kernel's link of this name: 1 found, 0 absent, -1 error. */
static int kernel_link(const char *name, struct tunnel_link *have, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct getlink_ctx ctx = { .have = have };
	struct nlmsghdr *nlh;
	uint32_t ifindex = if_nametoindex(name);
	int r;

	memset(have, 0, sizeof(*have));
	if (!ifindex)
		return 0;
	nlh = tunnel_link_build_getlink(buf, sizeof(buf), tunnel_nl_seq(), ifindex);
	if (!nlh) {
		snprintf(err, errlen, "cannot build RTM_GETLINK: %s", safe_strerror(errno));
		return -1;
	}
	r = tunnel_nl_talk(TUNNEL_NL_ROUTE, nlh, getlink_cb, &ctx, err, errlen);
	if (r == -ENODEV)
		return 0; /* deleted in between */
	if (r < 0)
		return -1;
	return ctx.found;
}

static int link_send_cb(struct nlmsghdr *nlh, tunnel_nl_cb cb, void *arg, char *err,
			size_t errlen)
{
	if (!nlh) {
		snprintf(err, errlen, "cannot build netlink message: %s", safe_strerror(errno));
		return -1;
	}
	return tunnel_nl_talk(TUNNEL_NL_ROUTE, nlh, cb, arg, err, errlen) < 0 ? -1 : 0;
}

static int link_send(struct nlmsghdr *nlh, char *err, size_t errlen)
{
	return link_send_cb(nlh, NULL, NULL, err, errlen);
}

static int link_delete(uint32_t ifindex, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return link_send(tunnel_link_build_dellink(buf, sizeof(buf), tunnel_nl_seq(), ifindex),
			 err, errlen);
}

static int link_newlink(const struct tunnel_link *tl, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return link_send(tunnel_link_build_newlink(buf, sizeof(buf), tunnel_nl_seq(), tl), err,
			 errlen);
}

/* The kernel's addresses of one interface, from an RTM_GETADDR dump. */
struct addr_dump {
	uint32_t ifindex;
	struct prefix *addrs; /* XREALLOC'd */
	size_t n, cap;
};

static int addr_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct addr_dump *d = arg;
	struct tunnel_ip ip;
	uint32_t ifindex;
	uint8_t plen;
	struct prefix *p;

	if (tunnel_addr_parse(nlh, &ifindex, &ip, &plen) < 0)
		return -1;
	if (ifindex != d->ifindex)
		return 0;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->addrs = XREALLOC(MTYPE_TMP, d->addrs, d->cap * sizeof(*d->addrs));
	}
	p = &d->addrs[d->n++];
	memset(p, 0, sizeof(*p));
	p->family = ip.family;
	p->prefixlen = plen;
	if (ip.family == AF_INET)
		p->u.prefix4 = ip.u.v4;
	else
		p->u.prefix6 = ip.u.v6;
	return 0;
}

/*
 * Overlay addresses: add the configured ones, remove others tunneld's
 * link has (IPv6 link-local addresses belong to the kernel).  The kernel
 * is asked, not zebra: zebra reports no addresses on a link that is down.
 * Returns 1 if anything changed.
 */
static int sync_addresses(struct tunnel *tun, uint32_t ifindex, char *err, size_t errlen)
{
	const struct tunnel_prefix *tp;
	struct addr_dump d = { .ifindex = ifindex };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct tunnel_ip ip;
	int changed = 0, ret = -1;

	if (link_send_cb(tunnel_addr_build_dump(buf, sizeof(buf), tunnel_nl_seq(), AF_UNSPEC),
			 addr_dump_cb, &d, err, errlen) < 0)
		goto out;

	frr_each (tunnel_prefixes_const, &tun->cfg.addresses, tp) {
		bool present = false;

		for (size_t i = 0; i < d.n && !present; i++)
			present = prefix_same(&d.addrs[i], &tp->p);
		if (present)
			continue;
		tunnel_ip_from_prefix(&ip, &tp->p);
		DEBUGD(&tunnel_dbg_netlink, "tunnel %s: adding address %pFX", tun->name, &tp->p);
		if (link_send(tunnel_addr_build(buf, sizeof(buf), tunnel_nl_seq(), RTM_NEWADDR,
						ifindex, &ip, tp->p.prefixlen),
			      err, errlen) < 0)
			goto out;
		changed = 1;
	}
	for (size_t i = 0; i < d.n; i++) {
		struct tunnel_prefix key = { .p = d.addrs[i] };

		if (key.p.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&key.p.u.prefix6))
			continue;
		if (tunnel_prefixes_find(&tun->cfg.addresses, &key))
			continue;
		tunnel_ip_from_prefix(&ip, &key.p);
		DEBUGD(&tunnel_dbg_netlink, "tunnel %s: removing address %pFX", tun->name,
		       &key.p);
		if (link_send(tunnel_addr_build(buf, sizeof(buf), tunnel_nl_seq(), RTM_DELADDR,
						ifindex, &ip, key.p.prefixlen),
			      err, errlen) < 0)
			goto out;
		changed = 1;
	}
	ret = changed;
out:
	XFREE(MTYPE_TMP, d.addrs);
	return ret;
}

/* Where the underlay goes: the destination, or WireGuard's first endpoint. */
static const struct ipaddr *underlay_target(const struct tunnel_config *c)
{
	const struct tunnel_wg_peer *peer;

	if (c->underlay.destination.ipa_type != IPADDR_NONE)
		return &c->underlay.destination;
	frr_each (tunnel_wg_peers_const, &c->wg.peers, peer)
		if (peer->endpoint.ipa_type != IPADDR_NONE)
			return &peer->endpoint;
	return NULL;
}

/* Follow the route to the underlay target when it decides the MTU. */
static void track_underlay(struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	const struct ipaddr *target = underlay_target(c);
	struct prefix p = {};
	bool want = c->kind && !c->mtu && !c->underlay.device[0] &&
		    !c->underlay.source_ifname[0] && target;

	if (want) {
		struct tunnel_ip ip;

		tunnel_ip_from_ipaddr(&ip, target);
		p.family = ip.family;
		p.prefixlen = ip.family == AF_INET ? IPV4_MAX_BITLEN : IPV6_MAX_BITLEN;
		if (ip.family == AF_INET)
			p.u.prefix4 = ip.u.v4;
		else
			p.u.prefix6 = ip.u.v6;
	}
	if (tun->st.nht_registered && (!want || !prefix_same(&p, &tun->st.nht_prefix))) {
		tunnel_zebra_nht(&tun->st.nht_prefix, vrf_of(c->underlay.vrf), false);
		tun->st.nht_registered = false;
		tun->st.nht_ifindex = 0;
	}
	if (want && !tun->st.nht_registered) {
		tun->st.nht_prefix = p;
		tun->st.nht_registered = tunnel_zebra_nht(&p, vrf_of(c->underlay.vrf), true);
	}
}

/* Record a failure and retry later; returns -1 for the caller to pass on. */
static int tunnel_failed(struct tunnel *tun, const char *what, const char *err)
{
	bool repeat = strmatch(tun->st.last_error, err);

	tun->st.in_sync = false;
	tun->st.errors++;
	strlcpy(tun->st.last_error, err, sizeof(tun->st.last_error));
	tun->st.backoff_s = tun->st.backoff_s ? MIN(tun->st.backoff_s * 2, BACKOFF_MAX_S) : 1;
	/* The same failure again is only worth a debug line. */
	if (repeat)
		DEBUGD(&tunnel_dbg_netlink, "tunnel %s: %s failed again: %s (retry in %us)",
		       tun->name, what, err, tun->st.backoff_s);
	else
		zlog_warn("tunnel %s: %s failed: %s (retrying in %us)", tun->name, what, err,
			  tun->st.backoff_s);
	event_add_timer(tunnel_master, tunnel_reconcile_run, tun, tun->st.backoff_s,
			&tun->st.t_retry);
	return -1;
}

static void tunnel_succeeded(struct tunnel *tun, bool in_sync)
{
	if (tun->st.last_error[0])
		zlog_info("tunnel %s: recovered", tun->name);
	tun->st.last_error[0] = '\0';
	tun->st.backoff_s = 0;
	tun->st.in_sync = in_sync;
	EVENT_OFF(tun->st.t_retry);
}

static int tunnel_reconcile_one(struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	struct tunnel_link want, have;
	char err[sizeof(tun->st.last_error)] = "";
	uint32_t diff;
	int exists, r;
	bool changed = false;

	track_underlay(tun);

	/* An incomplete tunnel is being typed in: leave its link alone. */
	if (tunnel_config_missing(c)) {
		tun->st.in_sync = false;
		return 0;
	}
	if (tunnel_want(tun, &want, err, sizeof(err)) < 0)
		return tunnel_failed(tun, "configuration", err);

	exists = kernel_link(tun->name, &have, err, sizeof(err));
	if (exists < 0)
		return tunnel_failed(tun, "reading the interface", err);

	tun->st.owned = exists && tunnel_link_owned(&have);
	if (exists && !tun->st.owned && !c->adopt) {
		tun->st.ifindex = have.ifindex;
		snprintf(err, sizeof(err),
			 "interface %s exists and was not made by tunneld; configure 'adopt' to take it over",
			 tun->name);
		return tunnel_failed(tun, "creating the interface", err);
	}

	if (exists) {
		diff = have.kind == want.kind ? tunnel_link_diff(&want, &have) : UINT32_MAX;
		if (have.kind != want.kind ||
		    tunnel_kind_needs_recreate(tunnel_kind_get(want.kind), diff)) {
			zlog_info("tunnel %s: re-creating the interface (ifindex %u) to change it",
				  tun->name, have.ifindex);
			if (link_delete(have.ifindex, err, sizeof(err)) < 0)
				return tunnel_failed(tun, "deleting the interface", err);
			exists = 0;
		} else if (diff || have.up != want.up || !tun->st.owned ||
			   strcmp(have.alias, want.alias)) {
			want.ifindex = have.ifindex;
			if (link_newlink(&want, err, sizeof(err)) < 0)
				return tunnel_failed(tun, "changing the interface", err);
			if (tun->st.owned)
				zlog_info("tunnel %s: interface changed in place (ifindex %u, settings 0x%x)",
					  tun->name, have.ifindex, diff);
			else
				zlog_info("tunnel %s: adopted interface %s (ifindex %u)", tun->name,
					  tun->name, have.ifindex);
			changed = true;
		}
	}
	if (!exists) {
		if (link_newlink(&want, err, sizeof(err)) < 0)
			return tunnel_failed(tun, "creating the interface", err);
		exists = kernel_link(tun->name, &have, err, sizeof(err));
		if (exists <= 0)
			return tunnel_failed(tun, "reading the new interface",
					     err[0] ? err : "it vanished after creation");
		/* The kernel ignores IFLA_IFALIAS on creation: mark it ours now. */
		want.ifindex = have.ifindex;
		if (link_newlink(&want, err, sizeof(err)) < 0)
			return tunnel_failed(tun, "marking the new interface", err);
		zlog_info("tunnel %s: created %s interface, ifindex %u", tun->name,
			  c->kind->name, have.ifindex);
		changed = true;
	}
	tun->st.ifindex = have.ifindex;
	tun->st.owned = true;

	if (c->kind->kind == TUNNEL_KIND_WIREGUARD) {
		r = tunnel_wireguard_apply(tun, err, sizeof(err));
		if (r < 0)
			return tunnel_failed(tun, "configuring WireGuard", err);
		changed |= r > 0;
	}
	r = sync_addresses(tun, have.ifindex, err, sizeof(err));
	if (r < 0)
		return tunnel_failed(tun, "setting addresses", err);
	changed |= r > 0;

	/* After a change, zebra's news of it triggers the check that confirms it. */
	tunnel_succeeded(tun, !changed);
	return 0;
}

static void tunnel_reconcile_run(struct event *e)
{
	struct tunnel *tun = EVENT_ARG(e);

	(void)tunnel_reconcile_one(tun);
	/* Probes and BFD follow the interface wherever it went. */
	tunnel_measure_update(tun);
}

void tunnel_reconcile_schedule(struct tunnel *tun)
{
	event_add_event(tunnel_master, tunnel_reconcile_run, tun, 0, &tun->st.t_reconcile);
}

void tunnel_reconcile_all(void)
{
	struct tunnel *tun;

	frr_each (tunnels, &tunnels, tun)
		if (!tun->st.t_retry)
			tunnel_reconcile_schedule(tun);
}

static void tunnel_reconcile_periodic(struct event *e)
{
	tunnel_reconcile_all();
	event_add_timer(tunnel_master, tunnel_reconcile_periodic, NULL, RECONCILE_PERIOD_S,
			&t_periodic);
}

void tunnel_reconcile_remove(struct tunnel *tun)
{
	struct tunnel_link have;
	char err[256] = "";
	int exists;

	EVENT_OFF(tun->st.t_reconcile);
	EVENT_OFF(tun->st.t_retry);
	if (tun->st.nht_registered)
		tunnel_zebra_nht(&tun->st.nht_prefix, vrf_of(tun->cfg.underlay.vrf), false);
	tun->st.nht_registered = false;

	exists = kernel_link(tun->name, &have, err, sizeof(err));
	if (exists < 0) {
		zlog_warn("tunnel %s: removed from the configuration, but its interface could not be read: %s",
			  tun->name, err);
		return;
	}
	if (!exists)
		return;
	if (!tunnel_link_owned(&have)) {
		zlog_info("tunnel %s: removed from the configuration; interface %s was not made by tunneld and stays",
			  tun->name, tun->name);
		return;
	}
	if (link_delete(have.ifindex, err, sizeof(err)) < 0)
		zlog_warn("tunnel %s: could not delete its interface: %s", tun->name, err);
	else
		zlog_info("tunnel %s: removed, interface deleted", tun->name);
}

void tunnel_reconcile_underlay(const struct prefix *p, ifindex_t ifindex)
{
	struct tunnel *tun;

	frr_each (tunnels, &tunnels, tun) {
		if (!tun->st.nht_registered || !prefix_same(p, &tun->st.nht_prefix))
			continue;
		if (tun->st.nht_ifindex == ifindex)
			continue;
		tun->st.nht_ifindex = ifindex;
		tunnel_reconcile_schedule(tun);
	}
}

void tunnel_reconcile_init(struct event_loop *master)
{
	tunnel_master = master;
	event_add_timer(master, tunnel_reconcile_periodic, NULL, RECONCILE_PERIOD_S,
			&t_periodic);
}

void tunnel_reconcile_fini(void)
{
	struct tunnel *tun;

	EVENT_OFF(t_periodic);
	frr_each (tunnels, &tunnels, tun) {
		EVENT_OFF(tun->st.t_reconcile);
		EVENT_OFF(tun->st.t_retry);
	}
}
