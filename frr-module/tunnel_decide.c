// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decisions: quality into OSPF cost and BGP local-preference.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * Every new figure (a probe answered or lost, BFD news) and a one-second
 * tick evaluate the tunnel's policy; the tick lets held changes go out when
 * their dwell, recovery or budget allows.  A change is handed to the
 * actuators and committed to the state machine at once: the actuators
 * retry until the daemon has it, so what was decided is what is applied.
 */
#include <zebra.h>

#include "lib/log.h"
#include "lib/memory.h"

#include "tunneld/tunnel_actuator.h"
#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_decide.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_memory.h"
#include "tunneld/tunneld.h"

DEFINE_MTYPE_STATIC(TUNNELD, TUNNEL_DECISION, "Tunnel decision state");

#define DECIDE_TICK_MS 1000

static struct event_loop *dec_master;
static struct event *t_tick;
static struct tunnel_budget budget;
static bool dry_run_was;

static void policy_params(const struct tunnel *tun, const struct tunnel_profile *prof,
			  struct tunnel_policy_params *pp)
{
	struct tunnel_probe_timing timing;

	tunnel_probe_timing_of(tun, &timing);
	memset(pp, 0, sizeof(*pp));
	pp->health.max_loss_pct = prof->health.max_loss_pct;
	pp->health.max_rtt_ms = prof->health.max_rtt_ms;
	pp->health.recovery_s = prof->health.recovery_s;
	pp->hysteresis.lp_deadband = prof->hysteresis.lp_deadband;
	pp->hysteresis.cost_deadband_pct = prof->hysteresis.cost_deadband_pct;
	pp->hysteresis.holddown = prof->hysteresis.holddown;
	pp->hysteresis.dwell_s = prof->hysteresis.dwell_s;
	/* A worsening goes out once the smoothed figures stop moving: about
	 * three probes, so a fast profile settles fast. */
	pp->hysteresis.settle_s = MAX(1, (3 * timing.interval_ms + 999) / 1000);
	pp->hysteresis.settle_max_s = TUNNEL_SETTLE_MAX_S_DEFAULT;
	pp->lp_base = prof->lp.base;
	pp->cost_penalty = prof->cost.penalty;
}

static void score_profile(const struct tunnel_profile *prof, struct tunnel_score_profile *sp)
{
	static const enum tunnel_cost_formula formula[] = {
		[TUNNEL_COST_LATENCY] = TUNNEL_COST_FORMULA_LATENCY,
		[TUNNEL_COST_COMPOSITE] = TUNNEL_COST_FORMULA_COMPOSITE,
		[TUNNEL_COST_SCORE] = TUNNEL_COST_FORMULA_SCORE,
	};

	memset(sp, 0, sizeof(*sp));
	sp->score.w_bandwidth = prof->score.w_bandwidth;
	sp->score.w_rtt = prof->score.w_rtt;
	sp->score.w_jitter = prof->score.w_jitter;
	sp->score.w_loss = prof->score.w_loss;
	sp->score.ref_bandwidth_kbps = prof->score.ref_bandwidth_kbps;
	sp->score.ref_rtt_ms = prof->score.ref_rtt_ms;
	sp->score.ref_jitter_ms = prof->score.ref_jitter_ms;
	sp->lp.base = prof->lp.base;
	sp->lp.scale = prof->lp.scale;
	sp->lp.max_score = prof->lp.max_score;
	sp->cost.mode = formula[prof->cost.mode];
	sp->cost.beta = prof->cost.beta;
	sp->cost.gamma = prof->cost.gamma;
	sp->cost.delta = prof->cost.delta;
	sp->cost.minimum = prof->cost.minimum;
	sp->cost.maximum = prof->cost.maximum;
	sp->cost.step = prof->cost.step;
	sp->cost.penalty = prof->cost.penalty;
}

/*
 * The smoothed figures; false when there are none yet.  Bandwidth: tunneld
 * runs no throughput tests, and idle counters say nothing about capacity,
 * so b is what the tunnel carries or, when that is less, B_ref (see the
 * README's scoring section).
 */
static bool gather(const struct tunnel *tun, const struct tunnel_profile *prof,
		   struct tunnel_metrics *m)
{
	const struct tunnel_measure *meas = tun->meas;
	struct tunnel_metric met;
	double carried = 0;

	memset(m, 0, sizeof(*m));
	if (!meas->prober || !tunnel_quality_metric(&meas->prober->q, TUNNEL_METRIC_RTT, &met) ||
	    !met.valid)
		return false;
	m->rtt_ms = met.smoothed;
	if (tunnel_quality_metric(&meas->prober->q, TUNNEL_METRIC_JITTER, &met) && met.valid)
		m->jitter_ms = met.smoothed;
	if (tunnel_quality_metric(&meas->prober->q, TUNNEL_METRIC_LOSS, &met) && met.valid)
		m->loss = met.smoothed / 100.0;
	if (meas->rx.valid && meas->tx.valid)
		carried = MAX(meas->rx.smoothed_bps, meas->tx.smoothed_bps);
	m->bandwidth_bps = MAX(carried, prof->score.ref_bandwidth_kbps * 1000.0);
	return true;
}

/*
 * "S = bandwidth B + rtt R + jitter Q + loss P (rtt .. ms, jitter .. ms,
 * loss .. %)".  libc's snprintf: printfrr mangles negative doubles.
 */
void tunnel_score_format(char *buf, size_t len, const struct tunnel_score *s,
			 const struct tunnel_metrics *m)
{
	snprintf(buf, len,
		 "%.1f = bandwidth %.1f + rtt %.1f + jitter %.1f + loss %.1f (rtt %.1f ms, jitter %.1f ms, loss %.1f %%)",
		 s->total, s->bandwidth, s->rtt, s->jitter, s->loss, m->rtt_ms, m->jitter_ms,
		 m->loss * 100);
}

static const char *channel_label(enum tunnel_channel c)
{
	return c == TUNNEL_CHANNEL_LP ? "local-preference" : "OSPF cost";
}

static void apply(struct tunnel *tun, enum tunnel_channel c,
		  const struct tunnel_policy_channel_decision *cd, uint64_t now)
{
	const struct tunnel_decision *dec = tun->dec;
	char from[16] = "none";

	if (cd->has_applied)
		snprintf(from, sizeof(from), "%u", cd->applied);
	if (dec->measured) {
		char line[256];

		tunnel_score_format(line, sizeof(line), &dec->result.score, &dec->metrics);
		zlog_info("tunnel %s: %s %s -> %u (%s; score %s)", tun->name, channel_label(c),
			  from, cd->target, cd->reason, line);
	} else
		zlog_info("tunnel %s: %s %s -> %u (%s: %s)", tun->name, channel_label(c), from,
			  cd->target, cd->reason, tunnel_liveness_name(tun->meas->liveness));
	if (c == TUNNEL_CHANNEL_LP) {
		tunnel_actuator_set(tun, TUNNEL_ACT_BGP, cd->target);
	} else {
		if (tun->cfg.ospf_dynamic_cost)
			tunnel_actuator_set(tun, TUNNEL_ACT_OSPF, cd->target);
		if (tun->cfg.ospf6_dynamic_cost)
			tunnel_actuator_set(tun, TUNNEL_ACT_OSPF6, cd->target);
	}
	tunnel_policy_commit(&tun->dec->st, c, cd->target, now);
}

static void evaluate(struct tunnel *tun)
{
	struct tunnel_decision *dec = tun->dec;
	const struct tunnel_profile *prof = tunnel_profile_of(tun);
	struct tunnel_policy_params pp;
	struct tunnel_score_profile sp;
	struct tunnel_policy_input in = {};
	struct tunnel_policy_decision d;
	uint64_t now = tunnel_clock_mono_ns();
	bool down = tun->meas->liveness != TUNNEL_ALIVE;

	in.use[TUNNEL_CHANNEL_LP] = tun->cfg.bgp.route_map[0] != '\0';
	in.use[TUNNEL_CHANNEL_COST] = tun->cfg.ospf_dynamic_cost || tun->cfg.ospf6_dynamic_cost;
	if (!in.use[TUNNEL_CHANNEL_LP] && !in.use[TUNNEL_CHANNEL_COST]) {
		dec->evaluated = false;
		return;
	}
	policy_params(tun, prof, &pp);
	score_profile(prof, &sp);
	dec->measured = gather(tun, prof, &dec->metrics);
	dec->measured_once |= dec->measured;
	/*
	 * Never measured (a tunnel being made, a far end coming up), or
	 * nothing measured and nothing wrong: the neutral values stand.  A
	 * tunnel that never worked carries no routes to move anyway.
	 */
	if (!dec->measured_once || (!dec->measured && !down)) {
		dec->evaluated = false;
		return;
	}
	if (dec->measured) {
		tunnel_score_evaluate(&sp, &dec->metrics, &dec->result);
	} else {
		memset(&dec->result, 0, sizeof(dec->result));
		dec->result.lp = tunnel_lp_neutral(&sp.lp);
		dec->result.cost = tunnel_cost_neutral(&sp.cost);
	}
	in.target[TUNNEL_CHANNEL_LP] = dec->result.lp;
	in.target[TUNNEL_CHANNEL_COST] = dec->result.cost;
	in.health = tunnel_health_gate(&pp.health, dec->metrics.loss,
				       dec->measured ? dec->metrics.rtt_ms : 0, down, &in.limits);
	if (tunnel_policy_evaluate(&dec->st, &pp, &in, now, &budget, tunneld_globals.dry_run,
				   &d) < 0)
		return;
	for (enum tunnel_channel c = 0; c < TUNNEL_CHANNEL_MAX; c++)
		if (d.ch[c].used && d.ch[c].apply)
			apply(tun, c, &d.ch[c], now);
	if (!dec->evaluated || dec->last.state != d.state)
		DEBUGD(&tunnel_dbg_policy, "tunnel %s: %s", tun->name,
		       tunnel_health_state_name(d.state));
	dec->last = d;
	dec->evaluated = true;
}

static int measure_changed(struct tunnel *tun, bool urgent)
{
	evaluate(tun);
	return 0;
}

static void decide_tick(struct event *e)
{
	struct tunnel *tun;

	event_add_timer_msec(dec_master, decide_tick, NULL, DECIDE_TICK_MS, &t_tick);
	frr_each (tunnels, &tunnels, tun)
		evaluate(tun);
}

void tunnel_decide_update(struct tunnel *tun)
{
	struct tunnel_actuator_status st;

	/* A knob tunneld no longer drives starts afresh when driven again. */
	tunnel_actuator_status(tun, TUNNEL_ACT_BGP, &st);
	if (!tun->cfg.bgp.route_map[0] || !st.managed)
		tunnel_policy_forget(&tun->dec->st, TUNNEL_CHANNEL_LP);
	if (!tun->cfg.ospf_dynamic_cost && !tun->cfg.ospf6_dynamic_cost)
		tunnel_policy_forget(&tun->dec->st, TUNNEL_CHANNEL_COST);
	tunnel_actuator_sync(tun);
	evaluate(tun);
}

void tunnel_decide_globals_changed(void)
{
	tunnel_budget_set_rate(&budget, tunneld_globals.change_budget, tunnel_clock_mono_ns());
	if (dry_run_was != tunneld_globals.dry_run) {
		zlog_info("dry-run %s: routing changes are %s", tunneld_globals.dry_run ? "on" : "off",
			  tunneld_globals.dry_run ? "decided and shown, not applied" : "applied");
		dry_run_was = tunneld_globals.dry_run;
		tunnel_actuator_dry_run_changed();
	}
}

uint32_t tunnel_decide_budget_tokens(void)
{
	return tunnel_budget_tokens(&budget, tunnel_clock_mono_ns());
}

void tunnel_decide_new(struct tunnel *tun)
{
	tun->dec = XCALLOC(MTYPE_TUNNEL_DECISION, sizeof(*tun->dec));
	tunnel_policy_init(&tun->dec->st);
}

void tunnel_decide_free(struct tunnel *tun)
{
	tunnel_actuator_remove(tun);
	XFREE(MTYPE_TUNNEL_DECISION, tun->dec);
}

void tunnel_decide_init(struct event_loop *master)
{
	dec_master = master;
	tunnel_budget_init(&budget, tunneld_globals.change_budget, tunnel_clock_mono_ns());
	tunnel_actuator_init(master);
	hook_register(tunnel_measure_changed, measure_changed);
	event_add_timer_msec(master, decide_tick, NULL, DECIDE_TICK_MS, &t_tick);
}

void tunnel_decide_fini(void)
{
	EVENT_OFF(t_tick);
	tunnel_actuator_fini();
}
