// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * WireGuard devices: keys, peers, and what the kernel reports of them.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * Keys are read from their files at each apply and wiped right after;
 * only a digest of what was applied is kept, to tell whether the device
 * needs rewriting.  Rewriting replaces the peer set, which resets
 * handshakes, so it is done only when the configuration, a key file or the
 * kernel's device (peers, port, fwmark) differ.  Endpoints are not
 * compared: WireGuard moves them when a peer roams.
 */
#include <zebra.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <pwd.h>

#include "lib/log.h"
#include "lib/memory.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_memory.h"
#include "tunneld/tunnel_netlink.h"
#include "tunneld/tunnel_wg.h"
#include "tunneld/tunnel_wireguard.h"

#define WG_SHOW_MAX_PEERS 256

static uint16_t wg_family;

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	uint16_t *family = arg;

	*family = tunnel_wg_parse_family(nlh);
	return 0;
}

/* The generic netlink family id of WireGuard (the module is loaded by now). */
static int wg_family_id(char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	if (wg_family)
		return 0;
	nlh = tunnel_wg_build_getfamily(buf, sizeof(buf), tunnel_nl_seq());
	if (!nlh || tunnel_nl_talk(TUNNEL_NL_GENERIC, nlh, family_cb, &wg_family, err, errlen) < 0)
		return -1;
	if (!wg_family) {
		snprintf(err, errlen, "the kernel has no WireGuard generic netlink family");
		return -1;
	}
	return 0;
}

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t device_digest(const struct tunnel_wg_device *dev)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv(h, dev->private_key.b, sizeof(dev->private_key.b));
	h = fnv(h, &dev->listen_port, sizeof(dev->listen_port));
	h = fnv(h, &dev->fwmark, sizeof(dev->fwmark));
	for (size_t i = 0; i < dev->n_peers; i++) {
		const struct tunnel_wg_peer_spec *p = &dev->peers[i];

		h = fnv(h, p->public_key.b, sizeof(p->public_key.b));
		h = fnv(h, &p->has_psk, sizeof(p->has_psk));
		h = fnv(h, p->psk.b, sizeof(p->psk.b));
		h = fnv(h, &p->endpoint, sizeof(p->endpoint));
		h = fnv(h, &p->endpoint_port, sizeof(p->endpoint_port));
		h = fnv(h, &p->keepalive_s, sizeof(p->keepalive_s));
		h = fnv(h, p->allowed_ips, p->n_allowed_ips * sizeof(*p->allowed_ips));
	}
	return h;
}

/* Key files may belong to root or to the user tunneld runs as. */
static size_t key_file_owners(uid_t *uids)
{
	struct passwd *pw = getpwnam(FRR_USER);

	uids[0] = 0;
	if (!pw)
		return 1;
	uids[1] = pw->pw_uid;
	return 2;
}

struct wg_spec {
	struct tunnel_wg_device dev;
	struct tunnel_wg_peer_spec *peers;
	struct tunnel_wg_allowed_ip *ips;
};

static void spec_free(struct wg_spec *s)
{
	tunnel_wg_key_wipe(&s->dev.private_key);
	for (size_t i = 0; i < s->dev.n_peers; i++)
		tunnel_wg_key_wipe(&s->peers[i].psk);
	XFREE(MTYPE_TMP, s->peers);
	XFREE(MTYPE_TMP, s->ips);
}

/* The device as configured, keys read from their files. */
static int spec_build(const struct tunnel *tun, struct wg_spec *s, char *err, size_t errlen)
{
	const struct tunnel_config *c = &tun->cfg;
	const struct tunnel_wg_peer *peer;
	const struct tunnel_prefix *tp;
	uid_t owners[2];
	size_t n_owners = key_file_owners(owners);
	size_t n_peers = tunnel_wg_peers_count(&c->wg.peers), n_ips = 0, i = 0, k = 0;
	char why[200];

	memset(s, 0, sizeof(*s));
	frr_each (tunnel_wg_peers_const, &c->wg.peers, peer)
		n_ips += tunnel_prefixes_count(&peer->allowed_ips);
	s->peers = XCALLOC(MTYPE_TMP, (n_peers ?: 1) * sizeof(*s->peers));
	s->ips = XCALLOC(MTYPE_TMP, (n_ips ?: 1) * sizeof(*s->ips));

	strlcpy(s->dev.name, tun->name, sizeof(s->dev.name));
	s->dev.listen_port = c->wg.listen_port;
	s->dev.fwmark = c->wg.fwmark;
	s->dev.peers = s->peers;
	if (tunnel_wg_key_file_read(c->wg.private_key_file, owners, n_owners, &s->dev.private_key,
				    why, sizeof(why)) < 0) {
		snprintf(err, errlen, "private key file %s: %s", c->wg.private_key_file, why);
		return -1;
	}
	s->dev.has_private_key = true;

	frr_each (tunnel_wg_peers_const, &c->wg.peers, peer) {
		struct tunnel_wg_peer_spec *p = &s->peers[i++];

		s->dev.n_peers = i;
		if (!tunnel_wg_key_from_base64(&p->public_key, peer->public_key)) {
			snprintf(err, errlen, "peer %s: not a WireGuard public key", peer->public_key);
			return -1;
		}
		if (peer->psk_file[0]) {
			if (tunnel_wg_key_file_read(peer->psk_file, owners, n_owners, &p->psk, why,
						    sizeof(why)) < 0) {
				snprintf(err, errlen, "peer %s: preshared key file %s: %s",
					 peer->public_key, peer->psk_file, why);
				return -1;
			}
			p->has_psk = true;
		}
		tunnel_ip_from_ipaddr(&p->endpoint, &peer->endpoint);
		p->endpoint_port = peer->endpoint_port;
		p->keepalive_s = peer->keepalive_s;
		p->allowed_ips = &s->ips[k];
		frr_each (tunnel_prefixes_const, &peer->allowed_ips, tp) {
			struct tunnel_wg_allowed_ip *a = &s->ips[k++];

			a->ip.family = tp->p.family;
			if (tp->p.family == AF_INET)
				a->ip.u.v4 = tp->p.u.prefix4;
			else
				a->ip.u.v6 = tp->p.u.prefix6;
			a->cidr = tp->p.prefixlen;
			p->n_allowed_ips++;
		}
	}
	return 0;
}

struct get_ctx {
	struct tunnel_wg_device dev;
	struct tunnel_wg_peer_spec peers[WG_SHOW_MAX_PEERS];
	size_t n_peers;
};

static int get_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct get_ctx *g = arg;

	return tunnel_wg_parse_get(nlh, &g->dev, g->peers, array_size(g->peers), &g->n_peers);
}

static int device_get(const char *ifname, struct get_ctx *g, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(g, 0, sizeof(*g));
	if (wg_family_id(err, errlen) < 0)
		return -1;
	nlh = tunnel_wg_build_get(buf, sizeof(buf), tunnel_nl_seq(), wg_family, ifname);
	if (!nlh) {
		snprintf(err, errlen, "cannot build WG_CMD_GET_DEVICE");
		return -1;
	}
	return tunnel_nl_talk(TUNNEL_NL_GENERIC, nlh, get_cb, g, err, errlen) < 0 ? -1 : 0;
}

/* Whether the kernel's device still has what was applied last time. */
static bool device_matches(const struct wg_spec *s, const struct get_ctx *g)
{
	if (!g->dev.has_private_key || g->n_peers != s->dev.n_peers ||
	    g->dev.fwmark != s->dev.fwmark ||
	    (s->dev.listen_port && g->dev.listen_port != s->dev.listen_port))
		return false;
	for (size_t i = 0; i < s->dev.n_peers; i++) {
		bool found = false;

		for (size_t j = 0; j < g->n_peers && !found; j++)
			found = !memcmp(s->peers[i].public_key.b, g->peers[j].public_key.b,
					TUNNEL_WG_KEY_LEN);
		if (!found)
			return false;
	}
	return true;
}

int tunnel_wireguard_apply(struct tunnel *tun, char *err, size_t errlen)
{
	struct wg_spec s;
	struct get_ctx *g = XCALLOC(MTYPE_TMP, sizeof(*g));
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint64_t digest;
	size_t cursor = 0;
	int ret = -1;

	if (spec_build(tun, &s, err, errlen) < 0)
		goto out;
	digest = device_digest(&s.dev);
	if (device_get(tun->name, g, err, errlen) < 0)
		goto out;
	if (digest == tun->st.wg_digest && device_matches(&s, g)) {
		ret = 0;
		goto out;
	}

	errno = 0;
	while ((nlh = tunnel_wg_build_set(buf, sizeof(buf), tunnel_nl_seq(), wg_family, &s.dev,
					  &cursor))) {
		int r = tunnel_nl_talk(TUNNEL_NL_GENERIC, nlh, NULL, NULL, err, errlen);

		/* The message held key material: do not leave it on the stack. */
		explicit_bzero(buf, sizeof(buf));
		if (r < 0)
			goto out;
	}
	if (errno) {
		snprintf(err, errlen, "cannot build WG_CMD_SET_DEVICE: %s", safe_strerror(errno));
		goto out;
	}
	tun->st.wg_digest = digest;
	zlog_info("tunnel %s: WireGuard device configured (%zu peer%s)", tun->name, s.dev.n_peers,
		  s.dev.n_peers == 1 ? "" : "s");
	ret = 1;
out:
	spec_free(&s);
	XFREE(MTYPE_TMP, g);
	return ret;
}

/* The entry of @peers with this public key; a new one if the kernel has a peer
 * the configuration does not (someone ran wg(8) by hand). */
static json_object *peer_json(json_object *peers, const char *key)
{
	size_t n = json_object_array_length(peers);
	json_object *jp, *jkey;

	for (size_t i = 0; i < n; i++) {
		jp = json_object_array_get_idx(peers, i);
		if (json_object_object_get_ex(jp, "publicKey", &jkey) &&
		    strmatch(json_object_get_string(jkey), key))
			return jp;
	}
	jp = json_object_new_object();
	json_object_string_add(jp, "publicKey", key);
	json_object_boolean_add(jp, "configured", false);
	json_object_array_add(peers, jp);
	return jp;
}

void tunnel_wireguard_show(struct vty *vty, json_object *js, const struct tunnel *tun)
{
	struct get_ctx *g;
	char err[256], key[TUNNEL_WG_KEY_B64_LEN + 1];
	json_object *jpeers = NULL;
	time_t now = time(NULL);

	if (!tun->st.ifindex)
		return;
	g = XCALLOC(MTYPE_TMP, sizeof(*g));
	if (device_get(tun->name, g, err, sizeof(err)) < 0) {
		if (js)
			json_object_string_add(js, "wireguardError", err);
		else
			vty_out(vty, "  WireGuard state: %s\n", err);
		XFREE(MTYPE_TMP, g);
		return;
	}
	/* Without a private key the kernel has no public key either. */
	if (g->dev.has_private_key)
		tunnel_wg_key_to_base64(key, &g->dev.public_key);
	else
		strlcpy(key, "none", sizeof(key));
	if (js) {
		json_object_string_add(js, "publicKey", key);
		json_object_int_add(js, "listenPortActual", g->dev.listen_port);
		/* Live state joins the configured peer of the same key. */
		json_object_object_get_ex(js, "peers", &jpeers);
	} else {
		vty_out(vty, "  WireGuard public key: %s, listening on port %u\n", key,
			g->dev.listen_port);
	}
	for (size_t i = 0; i < g->n_peers; i++) {
		const struct tunnel_wg_peer_spec *p = &g->peers[i];
		char ep[INET6_ADDRSTRLEN] = "";
		int64_t age = p->last_handshake_s ? (int64_t)now - p->last_handshake_s : -1;

		tunnel_wg_key_to_base64(key, &p->public_key);
		if (p->endpoint.family)
			inet_ntop(p->endpoint.family, &p->endpoint.u, ep, sizeof(ep));
		if (jpeers) {
			json_object *jp = peer_json(jpeers, key);

			if (ep[0]) {
				json_object_string_add(jp, "endpointActual", ep);
				json_object_int_add(jp, "endpointPortActual", p->endpoint_port);
			}
			if (age >= 0)
				json_object_int_add(jp, "latestHandshakeAgeS", age);
			json_object_int_add(jp, "rxBytes", p->rx_bytes);
			json_object_int_add(jp, "txBytes", p->tx_bytes);
		} else if (js) {
			continue;
		} else {
			vty_out(vty, "  WireGuard peer %s: endpoint %s, ", key, ep[0] ? ep : "none");
			if (age >= 0)
				vty_out(vty, "handshake %" PRId64 "s ago, ", age);
			else
				vty_out(vty, "no handshake yet, ");
			vty_out(vty, "rx %" PRIu64 " tx %" PRIu64 " bytes\n", p->rx_bytes,
				p->tx_bytes);
		}
	}
	XFREE(MTYPE_TMP, g);
}

int tunnel_wireguard_handshake(const struct tunnel *tun, int64_t *age_s, uint64_t *rx_bytes,
			       uint64_t *tx_bytes)
{
	struct get_ctx *g;
	char err[256];
	int64_t latest = 0;
	time_t now = time(NULL);

	g = XCALLOC(MTYPE_TMP, sizeof(*g));
	if (device_get(tun->name, g, err, sizeof(err)) < 0) {
		XFREE(MTYPE_TMP, g);
		return -1;
	}
	*rx_bytes = *tx_bytes = 0;
	for (size_t i = 0; i < g->n_peers; i++) {
		latest = MAX(latest, g->peers[i].last_handshake_s);
		*rx_bytes += g->peers[i].rx_bytes;
		*tx_bytes += g->peers[i].tx_bytes;
	}
	/* A clock stepped back makes a handshake look new, not negative. */
	*age_s = latest ? MAX((int64_t)now - latest, 0) : -1;
	explicit_bzero(g, sizeof(*g)); /* preshared keys */
	XFREE(MTYPE_TMP, g);
	return 0;
}
