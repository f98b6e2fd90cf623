// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A BFD session per tunnel, run by bfdd through zebra (lib/bfd.h).
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * The session is single-hop over the tunnel interface to the same far end
 * the probes go to.  Timers come from the bfdd profile the tunnel names.
 * BFD down marks the tunnel down at once, but only after the session has
 * been up: a session still coming up says "down" too, and that must not
 * penalise a tunnel at start.
 */
#include <zebra.h>

#include "lib/bfd.h"
#include "lib/log.h"
#include "lib/zclient.h"

#include "tunneld/tunnel_bfd.h"
#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunneld.h"

static const char *state_name(enum bfd_session_state s)
{
	switch (s) {
	case BSS_UP:
		return "up";
	case BSS_DOWN:
		return "down";
	case BSS_ADMIN_DOWN:
		return "admin-down";
	case BSS_UNKNOWN:
		break;
	}
	return "unknown";
}

static void bfd_status_cb(struct bfd_session_params *bsp, const struct bfd_session_status *bss,
			  void *arg)
{
	struct tunnel *tun = arg;
	struct tunnel_measure *m = tun->meas;

	m->bfd_state = bss->state;
	m->bfd_changed_ms = tunnel_clock_real_ms();
	if (bss->state == BSS_UP)
		m->bfd_was_up = true;
	if (bss->state == BSS_DOWN && bss->previous_state == BSS_UP)
		m->bfd_down_events++;
	zlog_info("tunnel %s: BFD %s (was %s)", tun->name, state_name(bss->state),
		  state_name(bss->previous_state));
	tunnel_measure_bfd_changed(tun);
}

/* The tunnel's own overlay address of the far end's family, if any. */
static bool local_address(const struct tunnel *tun, int family, struct prefix *out)
{
	const struct tunnel_prefix *tp;

	frr_each (tunnel_prefixes_const, &tun->cfg.addresses, tp)
		if (tp->p.family == family) {
			*out = tp->p;
			return true;
		}
	return false;
}

void tunnel_bfd_update(struct tunnel *tun)
{
	struct tunnel_measure *m = tun->meas;
	const struct ipaddr *dst = &m->probe_dst;
	struct interface *ifp = tunnel_ifp(tun);
	struct prefix src;
	bool have_src;

	m->no_bfd[0] = '\0';
	if (!tun->cfg.bfd.enabled) {
		tunnel_bfd_remove(tun);
		return;
	}
	if (ipaddr_is_zero(dst) || !m->prober) {
		snprintf(m->no_bfd, sizeof(m->no_bfd), "no far end: %s",
			 m->no_probe[0] ? m->no_probe : "no probe destination");
		tunnel_bfd_remove(tun);
		return;
	}
	if (!ifp) {
		snprintf(m->no_bfd, sizeof(m->no_bfd), "the interface does not exist");
		tunnel_bfd_remove(tun);
		return;
	}
	if (!m->bfd) {
		m->bfd = bfd_sess_new(bfd_status_cb, tun);
		m->bfd_state = BSS_UNKNOWN;
		m->bfd_was_up = false;
	}
	have_src = local_address(tun, IS_IPADDR_V4(dst) ? AF_INET : AF_INET6, &src);
	if (IS_IPADDR_V4(dst))
		bfd_sess_set_ipv4_addrs(m->bfd, have_src ? &src.u.prefix4 : NULL, &dst->ipaddr_v4);
	else
		bfd_sess_set_ipv6_addrs(m->bfd, have_src ? &src.u.prefix6 : NULL, &dst->ipaddr_v6);
	bfd_sess_set_interface(m->bfd, tun->name);
	bfd_sess_set_vrf(m->bfd, ifp->vrf->vrf_id);
	bfd_sess_set_profile(m->bfd, tun->cfg.bfd.profile[0] ? tun->cfg.bfd.profile : NULL);
	bfd_sess_set_hop_count(m->bfd, 1);
	bfd_sess_install(m->bfd);
}

void tunnel_bfd_remove(struct tunnel *tun)
{
	struct tunnel_measure *m = tun->meas;

	if (!m->bfd)
		return;
	bfd_sess_uninstall(m->bfd);
	bfd_sess_free(&m->bfd);
	m->bfd_state = BSS_UNKNOWN;
	m->bfd_was_up = false;
}

bool tunnel_bfd_down(const struct tunnel *tun)
{
	const struct tunnel_measure *m = tun->meas;

	return m->bfd && m->bfd_was_up && m->bfd_state == BSS_DOWN;
}

const char *tunnel_bfd_status(const struct tunnel *tun)
{
	const struct tunnel_measure *m = tun->meas;

	if (!tun->cfg.bfd.enabled)
		return "disabled";
	if (!m->bfd)
		return "inactive";
	if (m->bfd_state == BSS_DOWN && !m->bfd_was_up)
		return "init";
	return state_name(m->bfd_state);
}

void tunnel_bfd_init(struct zclient *zc, struct event_loop *master)
{
	bfd_protocol_integration_init(zc, master);
}

void tunnel_bfd_fini(void)
{
	bfd_protocol_integration_set_shutdown(true);
}
