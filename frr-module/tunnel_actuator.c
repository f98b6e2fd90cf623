// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Actuators: ospfd, ospf6d and bgpd driven over their vty sockets.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * ospfd's cost is CLI-only and bgpd's route-maps are not in mgmtd, so
 * tunneld talks to each daemon the way vtysh does (core/tunnel_vtyc.c):
 * one persistent connection per daemon, one command per round trip, no
 * fork or exec.  Each knob keeps the value wanted and the value the daemon
 * acknowledged; what is wanted goes out when the connection is free, at
 * most once a second per OSPF interface (neighbours drop LSAs that arrive
 * faster, MinLSArrival), coalesced while waiting.  A daemon that restarts
 * gets every value again, twice: at once, and after its own configuration
 * has been re-read (frrinit re-applies frr.conf to a restarted daemon).
 */
#include <zebra.h>

#include "lib/libfrr.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/typesafe.h"

#include "tunneld/tunnel_actuator.h"
#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_memory.h"
#include "tunneld/tunnel_score.h"
#include "tunneld/tunnel_vtyc.h"
#include "tunneld/tunneld.h"

DEFINE_MTYPE_STATIC(TUNNELD, TUNNEL_ACT_ITEM, "Tunnel actuator knob");

#define NSEC_PER_SEC	   1000000000ULL
#define ACT_REPLY_TIMEOUT_S 10
#define ACT_RETRY_S	   5  /* after the daemon refused a command */
#define ACT_BACKOFF_MAX_S  10 /* between connection attempts */
#define ACT_REASSERT_S	   10 /* after a connect: frr.conf has been re-read by then */
#define ACT_COST_GAP_NS	   NSEC_PER_SEC /* OSPF MinLSArrival */

PREDECL_DLIST(act_items);
struct act_item {
	struct tunnel *tun; /* NULL: the tunnel is gone, the item is being undone */
	enum tunnel_actuator_target t;
	char ifname[IFNAMSIZ];
	char vrf[VRF_NAMSIZ];
	char rmap[TUNNEL_REFNAME_MAX];
	uint16_t seq;

	bool wanted_set;
	uint32_t wanted;
	bool applied_set;
	uint32_t applied;
	bool reassert; /* send even if applied == wanted */
	bool undo;     /* send the 'no' form, then forget the item */

	uint64_t last_apply_ns;
	uint64_t retry_at_ns;
	char last_error[128];
	struct act_items_item link;
};
DECLARE_DLIST(act_items, struct act_item, link);

struct act_daemon {
	const char *name;
	struct tunnel_vtyc vc;
	struct act_items_head items;
	struct act_item *inflight;
	uint32_t inflight_value;
	bool inflight_undo;
	uint32_t backoff_s;
	uint64_t connects, applied, failures;
	struct event *t_io, *t_timeout, *t_connect, *t_kick, *t_reassert;
};

static struct act_daemon act[TUNNEL_ACT_MAX] = {
	[TUNNEL_ACT_OSPF] = { .name = "ospfd" },
	[TUNNEL_ACT_OSPF6] = { .name = "ospf6d" },
	[TUNNEL_ACT_BGP] = { .name = "bgpd" },
};
static struct event_loop *act_master;

static void act_kick(struct act_daemon *d);
static void act_kick_ev(struct event *e);
static void act_connect_ev(struct event *e);

const char *tunnel_actuator_daemon(enum tunnel_actuator_target t)
{
	return act[t].name;
}

static void kick_soon(struct act_daemon *d, uint64_t delay_ns)
{
	EVENT_OFF(d->t_kick);
	event_add_timer_msec(act_master, act_kick_ev, d, delay_ns / 1000000, &d->t_kick);
}

/* What the connection asks for next: watch the fd, or reconnect. */
static void act_arm(struct act_daemon *d, enum tunnel_vtyc_state st);

static void act_io_read(struct event *e)
{
	struct act_daemon *d = EVENT_ARG(e);

	act_arm(d, tunnel_vtyc_on_readable(&d->vc));
}

static void act_io_write(struct event *e)
{
	struct act_daemon *d = EVENT_ARG(e);

	act_arm(d, tunnel_vtyc_on_writable(&d->vc));
}

static void act_timeout(struct event *e)
{
	struct act_daemon *d = EVENT_ARG(e);

	zlog_warn("%s: no answer within %d s; reconnecting", d->name, ACT_REPLY_TIMEOUT_S);
	act_arm(d, tunnel_vtyc_timeout(&d->vc));
}

static void act_arm(struct act_daemon *d, enum tunnel_vtyc_state st)
{
	int fd = tunnel_vtyc_fd(&d->vc);

	EVENT_OFF(d->t_io);
	switch (st) {
	case TUNNEL_VTYC_WANT_WRITE:
		event_add_write(act_master, act_io_write, d, fd, &d->t_io);
		break;
	case TUNNEL_VTYC_WANT_READ:
	case TUNNEL_VTYC_IDLE:
		/* Idle too: EOF is how a daemon's restart shows up. */
		event_add_read(act_master, act_io_read, d, fd, &d->t_io);
		break;
	case TUNNEL_VTYC_CLOSED:
		EVENT_OFF(d->t_timeout);
		if (d->vc.last_error && d->connects)
			zlog_info("%s: connection closed (%s); reconnecting", d->name,
				  tunnel_vtyc_status_str(tunnel_vtyc_last_error(&d->vc)));
		if (!d->t_connect)
			event_add_timer(act_master, act_connect_ev, d, d->backoff_s,
					&d->t_connect);
		break;
	}
}

static bool item_due(const struct act_item *it)
{
	if (it->undo)
		return true;
	return it->wanted_set && (!it->applied_set || it->applied != it->wanted || it->reassert);
}

static void mark_all_reassert(struct act_daemon *d)
{
	struct act_item *it;

	frr_each (act_items, &d->items, it)
		it->reassert = true;
}

static void act_reassert_ev(struct event *e)
{
	struct act_daemon *d = EVENT_ARG(e);

	mark_all_reassert(d);
	act_kick(d);
}

static void act_connect_ev(struct event *e)
{
	struct act_daemon *d = EVENT_ARG(e);
	int r;

	if (!act_items_count(&d->items))
		return;
	r = tunnel_vtyc_connect(&d->vc);
	if (r < 0) {
		DEBUGD(&tunnel_dbg_actuator, "%s: cannot connect to %s: %s", d->name, d->vc.path,
		       safe_strerror(-r));
		d->backoff_s = d->backoff_s ? MIN(d->backoff_s * 2, ACT_BACKOFF_MAX_S) : 1;
		event_add_timer(act_master, act_connect_ev, d, d->backoff_s, &d->t_connect);
		return;
	}
	d->connects++;
	d->backoff_s = 0;
	zlog_info("%s: connected to its vty socket; applying %zu value%s", d->name,
		  act_items_count(&d->items), act_items_count(&d->items) == 1 ? "" : "s");
	mark_all_reassert(d);
	EVENT_OFF(d->t_reassert);
	event_add_timer(act_master, act_reassert_ev, d, ACT_REASSERT_S, &d->t_reassert);
	act_arm(d, tunnel_vtyc_state(&d->vc));
	act_kick(d);
}

static void item_name(const struct act_item *it, char *buf, size_t len)
{
	if (it->t == TUNNEL_ACT_BGP)
		snprintf(buf, len, "route-map %s permit %u", it->rmap, it->seq);
	else
		snprintf(buf, len, "interface %s%s%s", it->ifname, it->vrf[0] ? " vrf " : "",
			 it->vrf);
}

static void act_done(struct tunnel_vtyc *c, const struct tunnel_vtyc_result *res, void *arg)
{
	struct act_daemon *d = arg;
	struct act_item *it = d->inflight;
	uint64_t now = tunnel_clock_mono_ns();
	char what[80];

	EVENT_OFF(d->t_timeout);
	d->inflight = NULL;
	if (!it)
		return;
	item_name(it, what, sizeof(what));
	if (res->status == 0) {
		d->applied++;
		it->last_error[0] = '\0';
		if (d->inflight_undo) {
			zlog_info("%s: %s: tunneld's cost removed", d->name, what);
			act_items_del(&d->items, it);
			XFREE(MTYPE_TUNNEL_ACT_ITEM, it);
			kick_soon(d, 0);
			return;
		}
		DEBUGD(&tunnel_dbg_actuator, "%s: %s: %u applied%s", d->name, what,
		       d->inflight_value, it->reassert ? " (re-asserted)" : "");
		it->applied = d->inflight_value;
		it->applied_set = true;
		it->reassert = false;
		it->last_apply_ns = now;
	} else {
		d->failures++;
		snprintf(it->last_error, sizeof(it->last_error), "%s%s%.*s",
			 tunnel_vtyc_status_str(res->status), res->output_len ? ": " : "",
			 (int)strcspn(res->output ? res->output : "", "\r\n"),
			 res->output ? res->output : "");
		if (res->status > 0) {
			zlog_warn("%s: %s: value %u refused: %s (retrying in %d s)", d->name, what,
				  d->inflight_value, it->last_error, ACT_RETRY_S);
			it->retry_at_ns = now + ACT_RETRY_S * NSEC_PER_SEC;
		}
	}
	kick_soon(d, 0);
}

/* The commands that set (or, for undo, remove) the item's value. */
static size_t item_commands(const struct act_item *it, uint32_t value, bool undo,
			    char bufs[4][96], const char *cmds[4])
{
	snprintf(bufs[0], 96, "configure terminal");
	if (it->t == TUNNEL_ACT_BGP) {
		snprintf(bufs[1], 96, "route-map %s permit %u", it->rmap, it->seq);
		snprintf(bufs[2], 96, "set local-preference %u", value);
	} else {
		const char *kw = it->t == TUNNEL_ACT_OSPF ? "ip ospf cost" : "ipv6 ospf6 cost";

		if (it->vrf[0])
			snprintf(bufs[1], 96, "interface %s vrf %s", it->ifname, it->vrf);
		else
			snprintf(bufs[1], 96, "interface %s", it->ifname);
		if (undo)
			snprintf(bufs[2], 96, "no %s", kw);
		else
			snprintf(bufs[2], 96, "%s %u", kw, value);
	}
	snprintf(bufs[3], 96, "end");
	for (int i = 0; i < 4; i++)
		cmds[i] = bufs[i];
	return 4;
}

static void act_kick(struct act_daemon *d)
{
	uint64_t now = tunnel_clock_mono_ns(), wait = UINT64_MAX, ready;
	struct act_item *it, *pick = NULL;
	char bufs[4][96];
	const char *cmds[4];
	size_t n;
	int r;

	if (tunneld_globals.dry_run || d->inflight)
		return;
	if (!act_items_count(&d->items))
		return;
	if (tunnel_vtyc_state(&d->vc) == TUNNEL_VTYC_CLOSED) {
		if (!d->t_connect)
			event_add_timer(act_master, act_connect_ev, d, 0, &d->t_connect);
		return;
	}
	if (tunnel_vtyc_state(&d->vc) != TUNNEL_VTYC_IDLE)
		return;
	frr_each (act_items, &d->items, it) {
		if (!item_due(it))
			continue;
		ready = it->retry_at_ns;
		/* A new cost for an interface at most once a second. */
		if (it->t != TUNNEL_ACT_BGP && it->applied_set && !it->reassert &&
		    it->last_apply_ns + ACT_COST_GAP_NS > ready)
			ready = it->last_apply_ns + ACT_COST_GAP_NS;
		if (ready <= now) {
			pick = it;
			break;
		}
		wait = MIN(wait, ready - now);
	}
	if (!pick) {
		if (wait != UINT64_MAX)
			kick_soon(d, wait);
		return;
	}
	n = item_commands(pick, pick->wanted, pick->undo, bufs, cmds);
	r = tunnel_vtyc_batch_start(&d->vc, cmds, n, act_done, d);
	if (r < 0) {
		zlog_warn("%s: cannot send commands: %s", d->name, safe_strerror(-r));
		return;
	}
	d->inflight = pick;
	d->inflight_value = pick->wanted;
	d->inflight_undo = pick->undo;
	event_add_timer(act_master, act_timeout, d, ACT_REPLY_TIMEOUT_S, &d->t_timeout);
	act_arm(d, tunnel_vtyc_state(&d->vc));
}

static void act_kick_ev(struct event *e)
{
	act_kick(EVENT_ARG(e));
}

static struct act_item *item_find(const struct tunnel *tun, enum tunnel_actuator_target t)
{
	struct act_item *it;

	frr_each (act_items, &act[t].items, it)
		if (it->tun == tun && !it->undo)
			return it;
	return NULL;
}

/* Stop managing a knob: an OSPF cost tunneld set is removed, a route-map stays. */
static void item_release(struct act_daemon *d, struct act_item *it)
{
	if (it->t != TUNNEL_ACT_BGP && it->applied_set) {
		it->tun = NULL;
		it->undo = true;
		kick_soon(d, 0);
		return;
	}
	if (d->inflight == it) {
		/* Its answer still comes: let act_done find nothing. */
		d->inflight = NULL;
	}
	act_items_del(&d->items, it);
	XFREE(MTYPE_TUNNEL_ACT_ITEM, it);
}

static bool managed(const struct tunnel *tun, enum tunnel_actuator_target t)
{
	switch (t) {
	case TUNNEL_ACT_OSPF:
		return tun->cfg.ospf_dynamic_cost;
	case TUNNEL_ACT_OSPF6:
		return tun->cfg.ospf6_dynamic_cost;
	case TUNNEL_ACT_BGP:
		return tun->cfg.bgp.route_map[0] != '\0';
	case TUNNEL_ACT_MAX:
		break;
	}
	return false;
}

static uint32_t neutral_lp(const struct tunnel *tun)
{
	const struct tunnel_profile *prof = tunnel_profile_of(tun);
	struct tunnel_lp_params lp = {
		.base = prof->lp.base,
		.scale = prof->lp.scale,
		.max_score = prof->lp.max_score,
	};

	return tunnel_lp_neutral(&lp);
}

void tunnel_actuator_sync(struct tunnel *tun)
{
	for (enum tunnel_actuator_target t = 0; t < TUNNEL_ACT_MAX; t++) {
		struct act_daemon *d = &act[t];
		struct act_item *it = item_find(tun, t);
		bool keys_changed;

		if (!managed(tun, t)) {
			if (it)
				item_release(d, it);
			continue;
		}
		if (!it) {
			it = XCALLOC(MTYPE_TUNNEL_ACT_ITEM, sizeof(*it));
			it->tun = tun;
			it->t = t;
			if (t == TUNNEL_ACT_BGP) {
				/* Before any measurement: the map must exist. */
				it->wanted = neutral_lp(tun);
				it->wanted_set = true;
			}
			act_items_add_tail(&d->items, it);
		}
		keys_changed = strcmp(it->ifname, tun->name) || strcmp(it->vrf, tun->cfg.vrf) ||
			       strcmp(it->rmap, tun->cfg.bgp.route_map) ||
			       it->seq != tun->cfg.bgp.sequence;
		if (keys_changed) {
			strlcpy(it->ifname, tun->name, sizeof(it->ifname));
			strlcpy(it->vrf, tun->cfg.vrf, sizeof(it->vrf));
			strlcpy(it->rmap, tun->cfg.bgp.route_map, sizeof(it->rmap));
			it->seq = tun->cfg.bgp.sequence;
			it->applied_set = false;
		}
		act_kick(d);
	}
}

void tunnel_actuator_remove(struct tunnel *tun)
{
	struct act_item *it;

	for (enum tunnel_actuator_target t = 0; t < TUNNEL_ACT_MAX; t++)
		while ((it = item_find(tun, t)))
			item_release(&act[t], it);
}

void tunnel_actuator_set(struct tunnel *tun, enum tunnel_actuator_target t, uint32_t value)
{
	struct act_item *it = item_find(tun, t);

	if (!it || (it->wanted_set && it->wanted == value))
		return;
	it->wanted = value;
	it->wanted_set = true;
	act_kick(&act[t]);
}

void tunnel_actuator_status(const struct tunnel *tun, enum tunnel_actuator_target t,
			    struct tunnel_actuator_status *st)
{
	const struct act_item *it = item_find(tun, t);

	memset(st, 0, sizeof(*st));
	if (!it)
		return;
	st->managed = true;
	st->wanted_set = it->wanted_set;
	st->wanted = it->wanted;
	st->applied_set = it->applied_set;
	st->applied = it->applied;
	st->pending = item_due(it);
	strlcpy(st->last_error, it->last_error, sizeof(st->last_error));
}

void tunnel_actuator_dry_run_changed(void)
{
	for (enum tunnel_actuator_target t = 0; t < TUNNEL_ACT_MAX; t++)
		act_kick(&act[t]);
}

void tunnel_actuator_show(struct vty *vty, json_object *js)
{
	for (enum tunnel_actuator_target t = 0; t < TUNNEL_ACT_MAX; t++) {
		struct act_daemon *d = &act[t];
		enum tunnel_vtyc_state st = tunnel_vtyc_state(&d->vc);
		const char *conn = st == TUNNEL_VTYC_CLOSED ? "disconnected" : "connected";

		if (js) {
			json_object *jd = json_object_new_object();

			json_object_string_add(jd, "socket", d->vc.path);
			json_object_string_add(jd, "connection", conn);
			json_object_int_add(jd, "knobs", act_items_count(&d->items));
			json_object_int_add(jd, "connects", d->connects);
			json_object_int_add(jd, "applied", d->applied);
			json_object_int_add(jd, "failures", d->failures);
			json_object_object_add(js, d->name, jd);
		} else {
			vty_out(vty,
				"  %-7s %-13s knobs %zu, connects %" PRIu64 ", commands applied %" PRIu64
				", refused or failed %" PRIu64 "\n",
				d->name, conn, act_items_count(&d->items), d->connects, d->applied,
				d->failures);
		}
	}
}

void tunnel_actuator_init(struct event_loop *master)
{
	char path[sizeof(frr_runstatedir) + 16];

	act_master = master;
	for (enum tunnel_actuator_target t = 0; t < TUNNEL_ACT_MAX; t++) {
		act_items_init(&act[t].items);
		snprintf(path, sizeof(path), "%s/%s.vty", frr_runstatedir, act[t].name);
		if (tunnel_vtyc_init(&act[t].vc, path) < 0)
			zlog_err("%s: vty socket path too long: %s", act[t].name, path);
	}
}

void tunnel_actuator_fini(void)
{
	struct act_item *it;

	for (enum tunnel_actuator_target t = 0; t < TUNNEL_ACT_MAX; t++) {
		struct act_daemon *d = &act[t];

		EVENT_OFF(d->t_io);
		EVENT_OFF(d->t_timeout);
		EVENT_OFF(d->t_connect);
		EVENT_OFF(d->t_kick);
		EVENT_OFF(d->t_reassert);
		d->inflight = NULL;
		tunnel_vtyc_close(&d->vc);
		while ((it = act_items_pop(&d->items)))
			XFREE(MTYPE_TUNNEL_ACT_ITEM, it);
	}
}
