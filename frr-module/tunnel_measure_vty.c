// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Show commands for measurements: quality, the sample history and the
 * STAMP reflector.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/json.h"
#include "lib/vty.h"

#include "tunneld/tunnel_bfd.h"
#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_measure_vty.h"
#include "tunneld/tunneld.h"

#include "tunneld/tunnel_measure_vty_clippy.c"

#define NS_PER_MS 1e6

/* Metrics come in ms (delays) or percent (loss). */
static json_object *metric_json(const struct tunnel_metric *m)
{
	json_object *j;

	if (!m->valid)
		return NULL;
	j = json_object_new_object();
	json_object_double_add(j, "last", m->last);
	json_object_double_add(j, "smoothed", m->smoothed);
	if (m->samples) {
		json_object_double_add(j, "min", m->min);
		json_object_double_add(j, "max", m->max);
	} else {
		json_object_object_add(j, "min", NULL);
		json_object_object_add(j, "max", NULL);
	}
	return j;
}

static void metric_text(struct vty *vty, const char *label, const struct tunnel_metric *m,
			const char *unit)
{
	if (!m->valid) {
		vty_out(vty, "  %-10s no samples yet\n", label);
		return;
	}
	vty_out(vty, "  %-10s last %.3f%s, smoothed %.3f%s", label, m->last, unit, m->smoothed,
		unit);
	if (m->samples)
		vty_out(vty, ", min %.3f%s, max %.3f%s over %u samples", m->min, unit, m->max,
			unit, m->samples);
	vty_out(vty, "\n");
}

static const char *probe_state(const struct tunnel_measure *m)
{
	if (!m->prober)
		return "off";
	if (!m->prober->answered)
		return "waiting"; /* for a first reply */
	return m->prober->down ? "down" : "up";
}

static void quality_json(struct vty *vty, const struct tunnel *tun)
{
	const struct tunnel_measure *m = tun->meas;
	const struct tunnel_prober *p = m->prober;
	static const struct {
		enum tunnel_metric_id id;
		const char *key;
	} metrics[] = {
		{ TUNNEL_METRIC_RTT, "rttMs" },
		{ TUNNEL_METRIC_JITTER, "jitterMs" },
		{ TUNNEL_METRIC_LOSS, "lossPct" },
		{ TUNNEL_METRIC_FWD, "forwardDelayMs" },
		{ TUNNEL_METRIC_BACK, "backwardDelayMs" },
	};
	json_object *js = json_object_new_object(), *jp, *jt, *jr;
	struct tunnel_metric met = {};

	json_object_string_add(js, "tunnel", tun->name);
	json_object_string_add(js, "state", tunnel_liveness_name(m->liveness));
	if (m->liveness_changed_ms)
		json_object_int_add(js, "stateChangedAtMs", m->liveness_changed_ms);

	jp = json_object_new_object();
	json_object_string_add(jp, "mode", tunnel_probe_mode_name(tun->cfg.probe.mode));
	json_object_string_add(jp, "state", probe_state(m));
	if (p && p->down_changed_ms)
		json_object_int_add(jp, "stateChangedAtMs", p->down_changed_ms);
	if (p)
		json_object_string_addf(jp, "destination", "%pIA", &p->cfg.dst);
	else
		json_object_string_add(jp, "reason", m->no_probe);
	json_object_object_add(js, "probe", jp);

	for (size_t i = 0; i < array_size(metrics); i++) {
		if (p)
			tunnel_quality_metric(&p->q, metrics[i].id, &met);
		json_object_object_add(js, metrics[i].key,
				       p ? metric_json(&met) : NULL);
	}
	if (p) {
		const struct tunnel_quality_counters *c = tunnel_quality_counters(&p->q);

		json_object_int_add(js, "probesSent", c->sent);
		json_object_int_add(js, "probesReceived", c->received);
		json_object_int_add(js, "probesLost", c->lost);
		json_object_int_add(js, "probesOutstanding", tunnel_quality_outstanding(&p->q));
		json_object_int_add(js, "consecutiveLost", tunnel_quality_consecutive_lost(&p->q));
		json_object_int_add(js, "duplicates", c->duplicates);
		json_object_int_add(js, "reordered", c->reordered);
		json_object_int_add(js, "late", c->late);
		json_object_int_add(js, "unknown", c->unknown);
		json_object_int_add(js, "bogus", c->bogus);
		json_object_int_add(js, "malformed", p->malformed);
		json_object_int_add(js, "offTunnel", p->off_tunnel);
		json_object_int_add(js, "sendErrors", p->send_errors);
	} else {
		json_object_int_add(js, "probesSent", 0);
		json_object_int_add(js, "probesReceived", 0);
	}

	jt = json_object_new_object();
	if (m->rx.valid && m->tx.valid) {
		json_object_double_add(jt, "rx", m->rx.smoothed_bps);
		json_object_double_add(jt, "tx", m->tx.smoothed_bps);
		json_object_double_add(jt, "rxLast", m->rx.last_bps);
		json_object_double_add(jt, "txLast", m->tx.last_bps);
	} else {
		json_object_object_add(jt, "rx", NULL);
		json_object_object_add(jt, "tx", NULL);
	}
	json_object_object_add(js, "throughputBps", jt);
	if (m->stats_valid) {
		jt = json_object_new_object();
		json_object_int_add(jt, "rxBytes", m->stats.rx_bytes);
		json_object_int_add(jt, "txBytes", m->stats.tx_bytes);
		json_object_int_add(jt, "rxPackets", m->stats.rx_packets);
		json_object_int_add(jt, "txPackets", m->stats.tx_packets);
		json_object_int_add(jt, "rxErrors", m->stats.rx_errors);
		json_object_int_add(jt, "txErrors", m->stats.tx_errors);
		json_object_int_add(jt, "rxDropped", m->stats.rx_dropped);
		json_object_int_add(jt, "txDropped", m->stats.tx_dropped);
		json_object_object_add(js, "counters", jt);
	}

	json_object_string_add(js, "bfdStatus", tunnel_bfd_status(tun));
	if (m->no_bfd[0])
		json_object_string_add(js, "bfdReason", m->no_bfd);
	json_object_int_add(js, "bfdDownEvents", m->bfd_down_events);
	if (m->bfd_changed_ms)
		json_object_int_add(js, "bfdChangedAtMs", m->bfd_changed_ms);
	if (tun->cfg.kind && tun->cfg.kind->kind == TUNNEL_KIND_WIREGUARD) {
		if (m->wg_seen && m->wg_handshake_age_s >= 0)
			json_object_int_add(js, "latestHandshakeAgeS", m->wg_handshake_age_s);
		else
			json_object_object_add(js, "latestHandshakeAgeS", NULL);
	}

	jr = json_object_new_object();
	json_object_int_add(jr, "received", m->refl.received);
	json_object_int_add(jr, "reflected", m->refl.reflected);
	json_object_int_add(jr, "malformed", m->refl.malformed);
	json_object_object_add(js, "reflector", jr);
	json_object_int_add(js, "interfaceRecreations", m->recreations);
	vty_json(vty, js);
}

static void quality_text(struct vty *vty, const struct tunnel *tun)
{
	const struct tunnel_measure *m = tun->meas;
	const struct tunnel_prober *p = m->prober;
	struct tunnel_metric met;

	vty_out(vty, "Tunnel %s: %s\n", tun->name, tunnel_liveness_name(m->liveness));
	if (!p) {
		vty_out(vty, "  Probes: off, %s\n", m->no_probe);
	} else {
		const struct tunnel_quality_counters *c = tunnel_quality_counters(&p->q);

		vty_out(vty, "  Probes: %s to %pIA every %u ms, %s\n",
			tunnel_probe_mode_name(p->cfg.mode), &p->cfg.dst,
			p->cfg.timing.interval_ms, probe_state(m));
		tunnel_quality_metric(&p->q, TUNNEL_METRIC_RTT, &met);
		metric_text(vty, "RTT", &met, " ms");
		tunnel_quality_metric(&p->q, TUNNEL_METRIC_JITTER, &met);
		metric_text(vty, "Jitter", &met, " ms");
		tunnel_quality_metric(&p->q, TUNNEL_METRIC_LOSS, &met);
		metric_text(vty, "Loss", &met, " %");
		if (tunnel_quality_metric(&p->q, TUNNEL_METRIC_FWD, &met) && met.valid) {
			metric_text(vty, "Forward", &met, " ms");
			tunnel_quality_metric(&p->q, TUNNEL_METRIC_BACK, &met);
			metric_text(vty, "Backward", &met, " ms");
		}
		vty_out(vty,
			"  Probes sent %" PRIu64 ", received %" PRIu64 ", lost %" PRIu64
			", duplicates %" PRIu64 ", reordered %" PRIu64 ", late %" PRIu64 "\n",
			c->sent, c->received, c->lost, c->duplicates, c->reordered, c->late);
		vty_out(vty,
			"  Dropped replies: unknown %" PRIu64 ", bogus %" PRIu64
			", malformed %" PRIu64 ", off-tunnel %" PRIu64 "; send errors %" PRIu64
			"\n",
			c->unknown, c->bogus, p->malformed, p->off_tunnel, p->send_errors);
	}
	if (m->rx.valid && m->tx.valid)
		vty_out(vty, "  Throughput: rx %.0f bit/s, tx %.0f bit/s (smoothed)\n",
			m->rx.smoothed_bps, m->tx.smoothed_bps);
	else
		vty_out(vty, "  Throughput: not measured yet\n");
	vty_out(vty, "  BFD: %s%s%s\n", tunnel_bfd_status(tun), m->no_bfd[0] ? ", " : "",
		m->no_bfd);
	if (tun->cfg.kind && tun->cfg.kind->kind == TUNNEL_KIND_WIREGUARD) {
		if (m->wg_seen && m->wg_handshake_age_s >= 0)
			vty_out(vty, "  WireGuard: latest handshake %" PRId64 " s ago\n",
				m->wg_handshake_age_s);
		else
			vty_out(vty, "  WireGuard: no handshake yet\n");
	}
	vty_out(vty, "  Reflector on this tunnel: received %" PRIu64 ", reflected %" PRIu64
		", malformed %" PRIu64 "\n", m->refl.received, m->refl.reflected,
		m->refl.malformed);
}

static const struct tunnel *find_or_warn(struct vty *vty, const char *name, bool json)
{
	const struct tunnel *tun = tunnel_find(name);

	if (!tun) {
		if (json)
			vty_out(vty, "{}\n");
		else
			vty_out(vty, "%% No tunnel %s\n", name);
	}
	return tun;
}

DEFPY(show_tunnel_quality, show_tunnel_quality_cmd, "show tunnel WORD$name quality [json$json]",
      SHOW_STR
      "Tunnels of tunneld\n"
      "Tunnel name\n"
      "Measured quality: delay, jitter, loss, throughput, liveness\n"
      JSON_STR)
{
	const struct tunnel *tun = find_or_warn(vty, name, !!json);

	if (!tun)
		return json ? CMD_SUCCESS : CMD_WARNING;
	if (json)
		quality_json(vty, tun);
	else
		quality_text(vty, tun);
	return CMD_SUCCESS;
}

static double ns_ms(int64_t ns)
{
	return (double)ns / NS_PER_MS;
}

DEFPY(show_tunnel_history, show_tunnel_history_cmd, "show tunnel WORD$name history [json$json]",
      SHOW_STR
      "Tunnels of tunneld\n"
      "Tunnel name\n"
      "The last probe samples, oldest first\n"
      JSON_STR)
{
	const struct tunnel *tun = find_or_warn(vty, name, !!json);
	const struct tunnel_prober *p;
	json_object *js = NULL, *jarr = NULL;
	uint64_t now = tunnel_clock_mono_ns();
	uint16_t n;

	if (!tun)
		return json ? CMD_SUCCESS : CMD_WARNING;
	p = tun->meas->prober;
	n = p ? tunnel_quality_history_count(&p->q) : 0;
	if (json) {
		js = json_object_new_object();
		jarr = json_object_new_array();
		json_object_string_add(js, "tunnel", tun->name);
		json_object_object_add(js, "samples", jarr);
	} else {
		vty_out(vty, "Tunnel %s: %u samples%s\n", tun->name, n,
			p ? "" : " (probes are off)");
		if (n)
			vty_out(vty, "  %-10s %-8s %-10s %-10s %-10s %-10s %s\n", "Sequence",
				"Age(s)", "RTT(ms)", "IPDV(ms)", "Fwd(ms)", "Back(ms)", "Flags");
	}
	for (uint16_t i = 0; i < n; i++) {
		const struct tunnel_sample *s = tunnel_quality_history(&p->q, i);
		bool lost = s->flags & TUNNEL_SAMPLE_LOST;
		bool oneway = s->flags & TUNNEL_SAMPLE_ONEWAY;
		double age = (double)(now - s->sent_ns) / 1e9;

		if (js) {
			json_object *j = json_object_new_object();

			json_object_int_add(j, "seq", s->seq);
			json_object_double_add(j, "ageS", age);
			json_object_boolean_add(j, "lost", lost);
			json_object_boolean_add(j, "reordered", s->flags & TUNNEL_SAMPLE_REORDERED);
			if (!lost)
				json_object_double_add(j, "rttMs", ns_ms(s->rtt_ns));
			if (!lost && s->ipdv_ns >= 0)
				json_object_double_add(j, "ipdvMs", ns_ms(s->ipdv_ns));
			if (oneway) {
				json_object_double_add(j, "forwardMs", ns_ms(s->fwd_ns));
				json_object_double_add(j, "backwardMs", ns_ms(s->back_ns));
			}
			json_object_array_add(jarr, j);
			continue;
		}
		vty_out(vty, "  %-10u %-8.1f ", s->seq, age);
		if (lost)
			vty_out(vty, "%-10s %-10s ", "lost", "-");
		else if (s->ipdv_ns >= 0)
			vty_out(vty, "%-10.3f %-10.3f ", ns_ms(s->rtt_ns), ns_ms(s->ipdv_ns));
		else
			vty_out(vty, "%-10.3f %-10s ", ns_ms(s->rtt_ns), "-");
		if (oneway)
			vty_out(vty, "%-10.3f %-10.3f ", ns_ms(s->fwd_ns), ns_ms(s->back_ns));
		else
			vty_out(vty, "%-10s %-10s ", "-", "-");
		vty_out(vty, "%s\n", (s->flags & TUNNEL_SAMPLE_REORDERED) ? "reordered" : "");
	}
	if (js)
		vty_json(vty, js);
	return CMD_SUCCESS;
}

DEFPY(show_tunnel_reflector, show_tunnel_reflector_cmd, "show tunnel reflector [json$json]",
      SHOW_STR
      "Tunnels of tunneld\n"
      "The STAMP Session-Reflector\n"
      JSON_STR)
{
	const struct tunneld_globals *g = &tunneld_globals;
	struct tunnel_reflector_stats st;
	unsigned int socks;
	uint64_t unmatched;

	tunnel_reflector_stats(&st, &socks);
	tunnel_probe_unmatched(&unmatched);
	if (json) {
		json_object *js = json_object_new_object();

		json_object_boolean_add(js, "enabled", g->reflector.enable);
		json_object_int_add(js, "port", g->reflector.port);
		json_object_string_add(js, "scope", g->reflector.all_interfaces ? "all" : "managed");
		json_object_int_add(js, "sockets", socks);
		json_object_int_add(js, "received", st.received);
		json_object_int_add(js, "reflected", st.reflected);
		json_object_int_add(js, "malformed", st.malformed);
		json_object_int_add(js, "outOfScope", st.out_of_scope);
		json_object_int_add(js, "sendErrors", st.send_errors);
		json_object_int_add(js, "senderUnmatchedReplies", unmatched);
		vty_json(vty, js);
		return CMD_SUCCESS;
	}
	vty_out(vty, "STAMP reflector: %s, UDP port %u, answering on %s (%u sockets)\n",
		g->reflector.enable ? "enabled" : "disabled", g->reflector.port,
		g->reflector.all_interfaces ? "all interfaces" : "tunnels tunneld manages", socks);
	vty_out(vty,
		"  Received %" PRIu64 ", reflected %" PRIu64 ", malformed %" PRIu64
		", out of scope %" PRIu64 ", send errors %" PRIu64 "\n",
		st.received, st.reflected, st.malformed, st.out_of_scope, st.send_errors);
	vty_out(vty, "  Replies to our probes that matched no tunnel: %" PRIu64 "\n", unmatched);
	return CMD_SUCCESS;
}

void tunnel_measure_vty_init(void)
{
	install_element(VIEW_NODE, &show_tunnel_quality_cmd);
	install_element(VIEW_NODE, &show_tunnel_history_cmd);
	install_element(VIEW_NODE, &show_tunnel_reflector_cmd);
}
