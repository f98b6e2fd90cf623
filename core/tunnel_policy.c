// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Per-tunnel routing decisions: health gate, hysteresis, recovery with flap
 * damping, and the global token-bucket change budget.  The rules are listed
 * in tunnel_policy.h; this file only adds how they are computed.
 *
 * Times are compared as "now - then" with a floor at 0 and sums saturate, so
 * a clock that goes back or a huge configured time only delays a change.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "tunnel_policy.h"

#define NS_PER_S 1000000000ULL

/* Flap damping: recovery-time factor up to 1 << 3 = 8, halved per 4 quiet dwells. */
#define DAMPING_MAX_SHIFT   3
#define DAMPING_DECAY_DWELLS 4

/* Rate above which the bucket arithmetic could overflow; far beyond YANG's 10000. */
#define BUDGET_MAX_PER_MINUTE 1000000U

static uint64_t elapsed(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	if (a && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

static uint32_t ceil_s(uint64_t ns)
{
	uint64_t s = ns / NS_PER_S + (ns % NS_PER_S != 0);

	return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

/* --- budget --- */

static uint32_t budget_rate(uint32_t per_minute)
{
	return per_minute > BUDGET_MAX_PER_MINUTE ? BUDGET_MAX_PER_MINUTE : per_minute;
}

static void budget_refill(struct tunnel_budget *b, uint64_t now_ns)
{
	uint64_t cap = (uint64_t)b->per_minute * TUNNEL_BUDGET_UNIT;
	uint64_t dt;

	if (now_ns < b->last_ns) {
		/* The clock went back: count from here on. */
		b->last_ns = now_ns;
		return;
	}
	/* Any bucket fills within a minute, which bounds the product. */
	dt = now_ns - b->last_ns;
	if (dt > TUNNEL_BUDGET_UNIT)
		dt = TUNNEL_BUDGET_UNIT;
	b->last_ns = now_ns;
	b->level += dt * b->per_minute;
	if (b->level > cap)
		b->level = cap;
}

void tunnel_budget_init(struct tunnel_budget *b, uint32_t per_minute, uint64_t now_ns)
{
	if (!b)
		return;
	b->per_minute = budget_rate(per_minute);
	b->level = (uint64_t)b->per_minute * TUNNEL_BUDGET_UNIT;
	b->last_ns = now_ns;
}

void tunnel_budget_set_rate(struct tunnel_budget *b, uint32_t per_minute, uint64_t now_ns)
{
	uint64_t cap;

	if (!b)
		return;
	budget_refill(b, now_ns);
	b->per_minute = budget_rate(per_minute);
	cap = (uint64_t)b->per_minute * TUNNEL_BUDGET_UNIT;
	if (b->level > cap)
		b->level = cap;
}

bool tunnel_budget_take(struct tunnel_budget *b, uint64_t now_ns)
{
	if (!b)
		return true;
	budget_refill(b, now_ns);
	if (b->level < TUNNEL_BUDGET_UNIT)
		return false;
	b->level -= TUNNEL_BUDGET_UNIT;
	return true;
}

uint32_t tunnel_budget_tokens(struct tunnel_budget *b, uint64_t now_ns)
{
	if (!b)
		return UINT32_MAX;
	budget_refill(b, now_ns);
	return (uint32_t)(b->level / TUNNEL_BUDGET_UNIT);
}

uint32_t tunnel_budget_wait_s(struct tunnel_budget *b, uint64_t now_ns)
{
	uint64_t need;

	if (!b)
		return 0;
	budget_refill(b, now_ns);
	if (!b->per_minute || b->level >= TUNNEL_BUDGET_UNIT)
		return 0;
	need = TUNNEL_BUDGET_UNIT - b->level;
	return ceil_s(need / b->per_minute + (need % b->per_minute != 0));
}

/* --- health --- */

enum tunnel_health_input tunnel_health_gate(const struct tunnel_health_params *hp, double loss,
					    double rtt_ms, bool down, unsigned int *limits)
{
	unsigned int l = 0;

	if (limits)
		*limits = 0;
	if (!hp)
		return TUNNEL_HEALTH_INPUT_DOWN;
	/* Divide the limit, not multiply the loss: 0.05 must not exceed 5 %. */
	if (!isfinite(loss) || loss > hp->max_loss_pct / 100.0)
		l |= TUNNEL_LIMIT_LOSS;
	if (!isfinite(rtt_ms) || rtt_ms > (double)hp->max_rtt_ms)
		l |= TUNNEL_LIMIT_RTT;
	if (limits)
		*limits = l;
	if (down)
		return TUNNEL_HEALTH_INPUT_DOWN;
	return l ? TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED : TUNNEL_HEALTH_INPUT_OK;
}

void tunnel_policy_init(struct tunnel_policy_state *st)
{
	if (st)
		memset(st, 0, sizeof(*st));
}

void tunnel_policy_forget(struct tunnel_policy_state *st, enum tunnel_channel c)
{
	if (!st || (unsigned int)c >= TUNNEL_CHANNEL_MAX)
		return;
	memset(&st->ch[c], 0, sizeof(st->ch[c]));
}

/* The tunnel's last change on any channel; false when there was none. */
static bool last_change(const struct tunnel_policy_state *st, uint64_t *when)
{
	bool any = false;

	*when = 0;
	for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
		if (!st->ch[c].has_applied || !st->ch[c].changes)
			continue;
		if (!any || st->ch[c].last_change_ns > *when)
			*when = st->ch[c].last_change_ns;
		any = true;
	}
	return any;
}

static void damping_decay(struct tunnel_policy_state *st, uint64_t dwell_ns, uint64_t now_ns)
{
	uint64_t period = sat_mul(dwell_ns, DAMPING_DECAY_DWELLS);

	if (!period) {
		st->recovery_shift = 0;
		return;
	}
	while (st->recovery_shift && elapsed(now_ns, st->quiet_since_ns) >= period) {
		st->recovery_shift--;
		st->quiet_since_ns += period;
	}
}

/*
 * Move the health state on by this evaluation's gate.  *wait_ns gets the time
 * until a recovering tunnel may recover (0 when not recovering).
 */
static void health_update(struct tunnel_policy_state *st, const struct tunnel_policy_params *pp,
			  enum tunnel_health_input gate, uint64_t now_ns, uint64_t dwell_ns,
			  uint64_t *wait_ns)
{
	uint64_t need, passed, quiet, last;

	*wait_ns = 0;
	if (gate != TUNNEL_HEALTH_INPUT_OK) {
		if (st->state == TUNNEL_STATE_HEALTHY) {
			damping_decay(st, dwell_ns, now_ns);
			if (st->has_recovered && elapsed(now_ns, st->recovered_ns) < dwell_ns &&
			    st->recovery_shift < DAMPING_MAX_SHIFT)
				st->recovery_shift++;
		}
		st->state = gate == TUNNEL_HEALTH_INPUT_DOWN ? TUNNEL_STATE_DOWN
							     : TUNNEL_STATE_DEGRADED;
		st->gate_ok = false;
		for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
			st->ch[c].candidate = false;
			st->ch[c].settling = false;
			st->ch[c].recover_pending = false;
		}
		return;
	}

	if (st->state == TUNNEL_STATE_HEALTHY) {
		damping_decay(st, dwell_ns, now_ns);
		return;
	}

	/* Up again (if it was down) but not trusted yet. */
	st->state = TUNNEL_STATE_DEGRADED;
	if (!st->gate_ok) {
		st->gate_ok = true;
		st->gate_ok_since_ns = now_ns;
	}
	need = sat_mul(sat_mul(pp->health.recovery_s, NS_PER_S), 1ULL << st->recovery_shift);
	passed = elapsed(now_ns, st->gate_ok_since_ns);
	quiet = last_change(st, &last) ? elapsed(now_ns, last) : UINT64_MAX;
	if (passed >= need && quiet >= dwell_ns) {
		st->state = TUNNEL_STATE_HEALTHY;
		st->gate_ok = false;
		st->has_recovered = true;
		st->recovered_ns = now_ns;
		st->quiet_since_ns = now_ns;
		for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
			st->ch[c].candidate = false;
			st->ch[c].settling = false;
			st->ch[c].recover_pending = true;
		}
		return;
	}
	*wait_ns = passed < need ? need - passed : 0;
	if (quiet < dwell_ns && dwell_ns - quiet > *wait_ns)
		*wait_ns = dwell_ns - quiet;
}

static const char *unhealthy_reason(const struct tunnel_policy_state *st, unsigned int limits)
{
	if (st->state == TUNNEL_STATE_DOWN)
		return "down";
	if (st->gate_ok)
		return "degraded";
	switch (limits & (TUNNEL_LIMIT_LOSS | TUNNEL_LIMIT_RTT)) {
	case TUNNEL_LIMIT_LOSS:
		return "degraded: loss";
	case TUNNEL_LIMIT_RTT:
		return "degraded: rtt";
	case TUNNEL_LIMIT_LOSS | TUNNEL_LIMIT_RTT:
		return "degraded: loss, rtt";
	default:
		return "degraded";
	}
}

/* --- channels --- */

enum compare {
	CMP_EQUAL,
	CMP_WORSE_SMALL,  /* worse, inside the deadband */
	CMP_WORSE,	  /* worse by at least the deadband */
	CMP_BETTER_SMALL, /* better, inside the deadband */
	CMP_BETTER_HELD,  /* past the deadband, not past the holddown */
	CMP_BETTER,	  /* better by max(deadband, holddown) */
};

static enum compare compare_lp(const struct tunnel_hysteresis_params *h, uint32_t applied,
			       uint32_t target)
{
	uint32_t diff;

	if (target == applied)
		return CMP_EQUAL;
	if (target < applied)
		return applied - target >= h->lp_deadband ? CMP_WORSE : CMP_WORSE_SMALL;
	diff = target - applied;
	if (diff >= h->lp_deadband && diff >= h->holddown)
		return CMP_BETTER;
	return diff >= h->lp_deadband ? CMP_BETTER_HELD : CMP_BETTER_SMALL;
}

/* Percent of the applied cost, in integers: diff * 100 >= pct * applied. */
static bool cost_share(uint32_t diff, uint64_t pct, uint32_t applied)
{
	return (uint64_t)diff * 100U >= pct * applied;
}

static enum compare compare_cost(const struct tunnel_hysteresis_params *h, uint32_t applied,
				 uint32_t target)
{
	uint64_t db = h->cost_deadband_pct;
	uint32_t diff;

	if (target == applied)
		return CMP_EQUAL;
	if (target > applied)
		return cost_share(target - applied, db, applied) ? CMP_WORSE : CMP_WORSE_SMALL;
	diff = applied - target;
	if (cost_share(diff, db, applied) && cost_share(diff, h->holddown, applied))
		return CMP_BETTER;
	return cost_share(diff, db, applied) ? CMP_BETTER_HELD : CMP_BETTER_SMALL;
}

/*
 * Did the targets of a settling band move by the deadband?  A spread of 0 is
 * never a move, so a deadband of 0 still lets a constant target settle.
 */
static bool band_moved(const struct tunnel_hysteresis_params *h, enum tunnel_channel c,
		       uint32_t lo, uint32_t hi, uint32_t target)
{
	if (hi == lo)
		return false;
	if (c == TUNNEL_CHANNEL_LP)
		return hi - lo >= h->lp_deadband;
	return cost_share(hi - lo, h->cost_deadband_pct, target);
}

/*
 * A worsening by the deadband was seen: track it and say whether it may go
 * out.  The band holds the targets seen since band_since_ns and starts again
 * at the current target once it is a deadband wide, so band_since_ns is at
 * least settle_s back only when the targets of the last settle_s all lay
 * within less than one deadband.  When not settled, *wait_ns gets the time
 * until it goes out if the target stays where it is.
 */
static bool settle(struct tunnel_policy_channel *ch, const struct tunnel_hysteresis_params *h,
		   enum tunnel_channel c, uint32_t target, uint64_t now_ns, uint64_t *wait_ns)
{
	uint64_t settle_ns = sat_mul(h->settle_s, NS_PER_S);
	uint64_t max_ns = sat_mul(h->settle_max_s, NS_PER_S);
	uint64_t pending, quiet;
	uint32_t lo, hi;

	*wait_ns = 0;
	if (!settle_ns || !max_ns)
		return true;
	if (!ch->settling) {
		ch->settling = true;
		ch->settling_since_ns = now_ns;
		ch->band_since_ns = now_ns;
		ch->band_lo = ch->band_hi = target;
	} else {
		lo = target < ch->band_lo ? target : ch->band_lo;
		hi = target > ch->band_hi ? target : ch->band_hi;
		if (band_moved(h, c, lo, hi, target)) {
			ch->band_since_ns = now_ns;
			lo = hi = target;
		}
		ch->band_lo = lo;
		ch->band_hi = hi;
	}
	pending = elapsed(now_ns, ch->settling_since_ns);
	quiet = elapsed(now_ns, ch->band_since_ns);
	if (pending >= max_ns || quiet >= settle_ns)
		return true;
	*wait_ns = max_ns - pending < settle_ns - quiet ? max_ns - pending : settle_ns - quiet;
	return false;
}

/* An ordinary change: needs a budget token. */
static void go_ordinary(struct tunnel_policy_channel_decision *cd, struct tunnel_budget *budget,
			uint64_t now_ns, bool dry_run, const char *reason)
{
	cd->reason = reason;
	if (dry_run) {
		cd->held_by = TUNNEL_HELD_DRY_RUN;
		return;
	}
	if (!tunnel_budget_take(budget, now_ns)) {
		cd->held_by = TUNNEL_HELD_BUDGET;
		cd->next_change_in_s = tunnel_budget_wait_s(budget, now_ns);
		return;
	}
	cd->apply = true;
}

/* A first value or an emergency: goes out anyway, but spends a token if there is one. */
static void go_forced(struct tunnel_policy_channel_decision *cd, struct tunnel_budget *budget,
		      uint64_t now_ns, bool dry_run, const char *reason)
{
	cd->reason = reason;
	if (dry_run) {
		cd->held_by = TUNNEL_HELD_DRY_RUN;
		return;
	}
	(void)tunnel_budget_take(budget, now_ns);
	cd->apply = true;
}

struct eval_ctx {
	const struct tunnel_policy_params *pp;
	uint64_t now_ns;
	uint64_t dwell_ns;
	uint64_t recovery_wait_ns;
	struct tunnel_budget *budget;
	bool dry_run;
	const char *unhealthy_reason;
};

static void decide_unhealthy(struct tunnel_policy_state *st, enum tunnel_channel c,
			     uint32_t target, const struct eval_ctx *x,
			     struct tunnel_policy_channel_decision *cd)
{
	const struct tunnel_policy_channel *ch = &st->ch[c];
	uint32_t penalty;

	if (c == TUNNEL_CHANNEL_LP)
		penalty = x->pp->lp_base;
	else
		penalty = x->pp->cost_penalty ? x->pp->cost_penalty : UINT16_MAX;

	if (!ch->has_applied || ch->applied != penalty) {
		cd->target = penalty;
		go_forced(cd, x->budget, x->now_ns, x->dry_run, x->unhealthy_reason);
		return;
	}
	if (st->gate_ok) {
		/* Show what recovery will bring, and when. */
		cd->target = target;
		cd->held_by = TUNNEL_HELD_RECOVERY;
		cd->next_change_in_s = ceil_s(x->recovery_wait_ns);
		cd->reason = "recovering";
		return;
	}
	cd->target = penalty;
	cd->reason = x->unhealthy_reason;
}

static void decide_healthy(struct tunnel_policy_state *st, enum tunnel_channel c, uint32_t target,
			   const struct eval_ctx *x, struct tunnel_policy_channel_decision *cd)
{
	struct tunnel_policy_channel *ch = &st->ch[c];
	const struct tunnel_hysteresis_params *h = &x->pp->hysteresis;
	uint64_t wait, waited;
	enum compare cmp;

	cd->target = target;
	if (!ch->has_applied) {
		go_forced(cd, x->budget, x->now_ns, x->dry_run, "first value");
		return;
	}
	if (ch->recover_pending) {
		if (target == ch->applied) {
			ch->recover_pending = false;
			cd->reason = "unchanged";
			return;
		}
		go_ordinary(cd, x->budget, x->now_ns, x->dry_run, "recovered");
		return;
	}

	cmp = c == TUNNEL_CHANNEL_LP ? compare_lp(h, ch->applied, target)
				     : compare_cost(h, ch->applied, target);
	if (cmp != CMP_BETTER)
		ch->candidate = false;
	if (cmp != CMP_WORSE)
		ch->settling = false;

	switch (cmp) {
	case CMP_EQUAL:
		cd->reason = "unchanged";
		return;
	case CMP_WORSE_SMALL:
		cd->held_by = TUNNEL_HELD_DEADBAND;
		cd->reason = "worse";
		return;
	case CMP_WORSE:
		if (!settle(ch, h, c, target, x->now_ns, &wait)) {
			cd->held_by = TUNNEL_HELD_SETTLE;
			cd->next_change_in_s = ceil_s(wait);
			cd->reason = "worse";
			return;
		}
		go_ordinary(cd, x->budget, x->now_ns, x->dry_run, "worse");
		return;
	case CMP_BETTER_SMALL:
		cd->held_by = TUNNEL_HELD_DEADBAND;
		cd->reason = "better";
		return;
	case CMP_BETTER_HELD:
		cd->held_by = TUNNEL_HELD_HOLDDOWN;
		cd->reason = "better";
		return;
	case CMP_BETTER:
		break;
	}

	if (!ch->candidate) {
		ch->candidate = true;
		ch->candidate_since_ns = x->now_ns;
	}
	/* Wait out both: the candidate's dwell and dwell since the last change. */
	wait = 0;
	waited = elapsed(x->now_ns, ch->candidate_since_ns);
	if (waited < x->dwell_ns)
		wait = x->dwell_ns - waited;
	waited = elapsed(x->now_ns, ch->last_change_ns);
	if (waited < x->dwell_ns && x->dwell_ns - waited > wait)
		wait = x->dwell_ns - waited;
	if (wait) {
		cd->held_by = TUNNEL_HELD_DWELL;
		cd->next_change_in_s = ceil_s(wait);
		cd->reason = "better";
		return;
	}
	go_ordinary(cd, x->budget, x->now_ns, x->dry_run, "better");
}

int tunnel_policy_evaluate(struct tunnel_policy_state *st, const struct tunnel_policy_params *pp,
			   const struct tunnel_policy_input *in, uint64_t now_ns,
			   struct tunnel_budget *budget, bool dry_run,
			   struct tunnel_policy_decision *d)
{
	struct eval_ctx x = {
		.pp = pp,
		.now_ns = now_ns,
		.budget = budget,
		.dry_run = dry_run,
	};

	if (d)
		memset(d, 0, sizeof(*d));
	if (!st || !pp || !in || !d)
		return -EINVAL;
	switch (in->health) {
	case TUNNEL_HEALTH_INPUT_OK:
	case TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED:
	case TUNNEL_HEALTH_INPUT_DOWN:
		break;
	default:
		return -EINVAL;
	}

	x.dwell_ns = sat_mul(pp->hysteresis.dwell_s, NS_PER_S);
	health_update(st, pp, in->health, now_ns, x.dwell_ns, &x.recovery_wait_ns);
	x.unhealthy_reason = unhealthy_reason(st, in->limits);
	d->state = st->state;

	for (int i = 0; i < TUNNEL_CHANNEL_MAX; i++) {
		enum tunnel_channel c = (enum tunnel_channel)i;
		struct tunnel_policy_channel_decision *cd = &d->ch[c];

		if (!in->use[c]) {
			cd->reason = "unused";
			continue;
		}
		cd->used = true;
		cd->has_applied = st->ch[c].has_applied;
		cd->applied = st->ch[c].applied;
		if (st->state == TUNNEL_STATE_HEALTHY)
			decide_healthy(st, c, in->target[c], &x, cd);
		else
			decide_unhealthy(st, c, in->target[c], &x, cd);
	}
	return 0;
}

int tunnel_policy_commit(struct tunnel_policy_state *st, enum tunnel_channel c, uint32_t value,
			 uint64_t now_ns)
{
	struct tunnel_policy_channel *ch;

	if (!st || (unsigned int)c >= TUNNEL_CHANNEL_MAX)
		return -EINVAL;
	ch = &st->ch[c];
	if (ch->has_applied && ch->applied == value)
		return 0;
	ch->has_applied = true;
	ch->applied = value;
	ch->changes++;
	ch->last_change_ns = now_ns;
	/* A candidate was measured against the old value; recovery is done. */
	ch->candidate = false;
	ch->settling = false;
	ch->recover_pending = false;
	return 0;
}

/* --- names --- */

const char *tunnel_health_state_name(enum tunnel_health_state s)
{
	switch (s) {
	case TUNNEL_STATE_HEALTHY:
		return "healthy";
	case TUNNEL_STATE_DEGRADED:
		return "degraded";
	case TUNNEL_STATE_DOWN:
		return "down";
	}
	return "?";
}

const char *tunnel_held_by_name(enum tunnel_held_by h)
{
	switch (h) {
	case TUNNEL_HELD_NONE:
		return "none";
	case TUNNEL_HELD_DEADBAND:
		return "deadband";
	case TUNNEL_HELD_DWELL:
		return "dwell";
	case TUNNEL_HELD_HOLDDOWN:
		return "holddown";
	case TUNNEL_HELD_BUDGET:
		return "budget";
	case TUNNEL_HELD_DRY_RUN:
		return "dry-run";
	case TUNNEL_HELD_RECOVERY:
		return "recovery";
	case TUNNEL_HELD_SETTLE:
		return "settle";
	}
	return "?";
}

const char *tunnel_channel_name(enum tunnel_channel c)
{
	switch (c) {
	case TUNNEL_CHANNEL_LP:
		return "local-preference";
	case TUNNEL_CHANNEL_COST:
		return "ospf-cost";
	case TUNNEL_CHANNEL_MAX:
		break;
	}
	return "?";
}
