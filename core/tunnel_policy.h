// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * The per-tunnel routing decision: health gates, hysteresis (deadband,
 * hold-down, dwell), recovery with flap damping, and the global change budget
 * (frr-tunneld.yang: profile containers health and hysteresis, leaves
 * change-budget and dry-run).  Pure C; time is the caller's monotonic clock
 * in nanoseconds.
 *
 * One evaluation per tunnel and measurement:
 *
 *	tunnel_policy_evaluate(&st, &params, &input, now, &budget, dry_run, &d);
 *	for each channel c with d.ch[c].apply:
 *		if (the daemon applied d.ch[c].target)
 *			tunnel_policy_commit(&st, c, d.ch[c].target, now);
 *
 * A change the daemon failed to apply is simply not committed; the next
 * evaluation proposes it again (an ordinary change spends a token per try,
 * which also rate-limits retries against a restarting ospfd or bgpd).
 *
 * Rules, per channel (LP: higher is better; cost: lower is better):
 *  - First value (nothing committed yet): applied at once, no hysteresis, no
 *    budget needed.
 *  - Worse by at least the deadband: applied once the target has settled
 *    ("worse is fast, but waits for the EWMA"): the targets seen while it was
 *    worse stayed within less than one deadband of each other for settle_s
 *    (held_by "settle"), or it has been worse for settle_max_s, whichever
 *    comes first; then the current target is applied, if the budget has a
 *    token.  The daemon's EWMA turns a step into a ramp of several
 *    evaluations; applying its first deadband-sized piece at once would give
 *    one change (and one OSPF LSA flood) per piece, settling gives one per
 *    step.  The wait restarts when the target comes back inside the
 *    deadband; a further worsening after a change waits again.  settle_s or
 *    settle_max_s 0: applied at once, as without settling.
 *  - Better: it must beat the applied value by max(deadband, holddown), stay
 *    that much better continuously for dwell (the timer restarts when it
 *    falls back), and dwell must have passed since the channel's last change
 *    ("better is slow").  Then the current target is applied, if the budget
 *    has a token.  A square wave of half-period below dwell thus gives at most
 *    one change per dwell (its first settled worsening), noise inside the
 *    deadband none.
 *  - LP deadband and holddown are in LP points; cost deadband and holddown in
 *    percent of the applied cost (when settling: of the current target).  A
 *    change of exactly the deadband counts; with a deadband of 0 a target
 *    settles only by not moving at all.
 *  - Degraded or down: lp base and the penalty cost are applied at once,
 *    bypassing dwell, deadband and budget (a token is still taken if there).
 *  - Recovery: the gate must pass continuously for recovery-time (times the
 *    flap-damping factor) and dwell must have passed since the tunnel's last
 *    change (either channel); then the current target is applied without
 *    deadband, holddown or dwell, but with a budget token.
 *  - Flap damping: a tunnel that degrades again less than dwell after it
 *    recovered doubles its recovery-time factor (1, 2, 4, 8 at most); each
 *    4 * dwell of health since the last recovery halves it again.
 */
#ifndef _TUNNELD_TUNNEL_POLICY_H
#define _TUNNELD_TUNNEL_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum tunnel_channel {
	TUNNEL_CHANNEL_LP,   /* BGP local-preference, higher is better */
	TUNNEL_CHANNEL_COST, /* OSPF cost, lower is better */
	TUNNEL_CHANNEL_MAX,
};

/* Profile container "health". */
struct tunnel_health_params {
	double max_loss_pct;   /* percent */
	uint32_t max_rtt_ms;
	uint32_t recovery_s;
};

/* Profile container "hysteresis". */
struct tunnel_hysteresis_params {
	uint32_t lp_deadband;	   /* LP points */
	uint8_t cost_deadband_pct; /* percent of the applied cost */
	uint32_t holddown;	   /* H: LP points, or cost percent */
	uint32_t dwell_s;
	/*
	 * Settling of an ordinary worsening (see the rules above): seconds the
	 * target must stay within less than one deadband, and seconds after
	 * which a worsening goes out settled or not (so an endless slow ramp is
	 * still followed).  0 in either: no settling, worse goes out at once.
	 * The caller decides the values; tunneld sets settle_s to
	 * max(1, 3 * probe interval) in seconds rounded up, so that a fast
	 * profile settles faster, and settle_max_s to TUNNEL_SETTLE_MAX_S_DEFAULT.
	 */
	uint32_t settle_s;     /* default TUNNEL_SETTLE_S_DEFAULT */
	uint32_t settle_max_s; /* default TUNNEL_SETTLE_MAX_S_DEFAULT */
};

/*
 * Defaults of the settle times: three evaluations at 1 s cover an EWMA of
 * alpha 0.25 to within 0.73 deadband of its end (the last three steps are
 * 1.37 times what remains), and a step through it is out within 10 s.
 */
#define TUNNEL_SETTLE_S_DEFAULT	    3
#define TUNNEL_SETTLE_MAX_S_DEFAULT 10

struct tunnel_policy_params {
	struct tunnel_health_params health;
	struct tunnel_hysteresis_params hysteresis;
	uint32_t lp_base;      /* local-preference/base: LP of a degraded or down tunnel */
	uint16_t cost_penalty; /* ospf-cost/penalty: cost of a degraded or down tunnel */
};

/* What the daemon observed this evaluation. */
enum tunnel_health_input {
	TUNNEL_HEALTH_INPUT_OK,
	/* smoothed loss > max-loss or smoothed RTT > max-rtt */
	TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED,
	/* BFD down, all probes of the last miss-count intervals lost, or link down */
	TUNNEL_HEALTH_INPUT_DOWN,
};

/* Which limits were exceeded; only for the reason string. */
#define TUNNEL_LIMIT_LOSS 0x1U
#define TUNNEL_LIMIT_RTT  0x2U

struct tunnel_policy_input {
	enum tunnel_health_input health;
	unsigned int limits; /* TUNNEL_LIMIT_* with LIMIT_EXCEEDED, as tunnel_health_gate() sets */
	/* Channels this tunnel routes by; a channel not in use is ignored. */
	bool use[TUNNEL_CHANNEL_MAX];
	/* Healthy targets: tunnel_lp_from_score() and tunnel_cost_compute(). */
	uint32_t target[TUNNEL_CHANNEL_MAX];
};

enum tunnel_health_state {
	TUNNEL_STATE_HEALTHY,
	TUNNEL_STATE_DEGRADED, /* limits exceeded, or up again and recovering */
	TUNNEL_STATE_DOWN,
};

enum tunnel_held_by {
	TUNNEL_HELD_NONE,
	TUNNEL_HELD_DEADBAND,
	TUNNEL_HELD_DWELL,
	TUNNEL_HELD_HOLDDOWN,
	TUNNEL_HELD_BUDGET,
	TUNNEL_HELD_DRY_RUN,
	TUNNEL_HELD_RECOVERY, /* degraded, gate passing, recovery-time or dwell not over */
	TUNNEL_HELD_SETTLE,   /* worse, waiting for the target to settle */
};

/*
 * Global change budget: a token bucket of per_minute tokens, refilled
 * continuously (one token per 60/per_minute s), full when initialised.
 * One per daemon; the fields are private.
 */
struct tunnel_budget {
	uint32_t per_minute;
	uint64_t level;	  /* tokens * TUNNEL_BUDGET_UNIT */
	uint64_t last_ns; /* time of the last refill */
};

#define TUNNEL_BUDGET_UNIT 60000000000ULL /* level per token: ns in a minute */

/* Per channel; the fields are readable (for show commands), written only here. */
struct tunnel_policy_channel {
	bool has_applied; /* a value was committed */
	uint32_t applied;
	uint64_t changes;	 /* commits that changed the value, the first included */
	uint64_t last_change_ns; /* valid when has_applied */
	bool candidate;		 /* a better target is waiting out dwell */
	uint64_t candidate_since_ns;
	bool settling;		    /* a worse target is waiting to settle */
	uint64_t settling_since_ns; /* it has been worse by the deadband since */
	uint64_t band_since_ns;	    /* the targets since lay within band_lo..band_hi */
	uint32_t band_lo, band_hi;
	bool recover_pending; /* recovered; the target goes out without hysteresis */
};

/* Per tunnel.  All zero (or tunnel_policy_init()) is a valid fresh state. */
struct tunnel_policy_state {
	enum tunnel_health_state state;
	bool gate_ok; /* not healthy and the gate has passed since gate_ok_since_ns */
	uint64_t gate_ok_since_ns;
	bool has_recovered;
	uint64_t recovered_ns;	 /* last recovery to healthy */
	uint64_t quiet_since_ns; /* flap-damping decay reference */
	uint8_t recovery_shift;	 /* recovery-time factor is 1 << this, 0..3 */
	struct tunnel_policy_channel ch[TUNNEL_CHANNEL_MAX];
};

struct tunnel_policy_channel_decision {
	bool used;	  /* input.use[]; when false the rest is zero and reason "unused" */
	uint32_t target;  /* the value the policy wants applied (penalty when degraded) */
	bool has_applied; /* copies of the state before this evaluation */
	uint32_t applied;
	bool apply; /* apply target now, then tunnel_policy_commit() */
	enum tunnel_held_by held_by;
	/* Until a held change may go out (settle: if the target stays); 0: not held or unknown. */
	uint32_t next_change_in_s;
	/* static: "first value", "worse", "better", "unchanged", "recovered",
	 * "recovering", "down", "degraded: loss", "degraded: rtt",
	 * "degraded: loss, rtt", "degraded" or "unused" */
	const char *reason;
};

struct tunnel_policy_decision {
	enum tunnel_health_state state; /* after this evaluation */
	struct tunnel_policy_channel_decision ch[TUNNEL_CHANNEL_MAX];
};

/* A fresh state: healthy, nothing applied. */
void tunnel_policy_init(struct tunnel_policy_state *st);

/*
 * Forget what was applied on a channel (its route-map entry or OSPF cost was
 * removed), so its next value is a first value.  Ignores bad arguments.
 */
void tunnel_policy_forget(struct tunnel_policy_state *st, enum tunnel_channel c);

/*
 * The health gate of profile container "health": LIMIT_EXCEEDED when the
 * smoothed loss (fraction) is above max_loss_pct / 100 or the smoothed RTT
 * (ms) above max_rtt_ms (a NaN or infinite value counts as above); DOWN when
 * down is true (the daemon's BFD, probe-miss or link state); OK otherwise.
 * *limits (may be NULL) gets the TUNNEL_LIMIT_* exceeded.  NULL hp: DOWN.
 */
enum tunnel_health_input tunnel_health_gate(const struct tunnel_health_params *hp, double loss,
					    double rtt_ms, bool down, unsigned int *limits);

/*
 * One decision for one tunnel at now_ns (monotonic; a clock going back only
 * delays changes).  Updates the health state and the per-channel timers in
 * st, takes budget tokens for the changes it lets out (budget NULL: no
 * budget), and fills *d.  Applied values change only by
 * tunnel_policy_commit().
 *
 * dry_run: decided as usual, but every change that would go out has apply
 * false and held_by TUNNEL_HELD_DRY_RUN, and no budget token is taken
 * (nothing is applied, so the budget is not spent).
 *
 * Returns 0, or -EINVAL for NULL arguments or in->health out of range (then
 * *d, if d is not NULL, is zeroed and st untouched).
 */
int tunnel_policy_evaluate(struct tunnel_policy_state *st, const struct tunnel_policy_params *pp,
			   const struct tunnel_policy_input *in, uint64_t now_ns,
			   struct tunnel_budget *budget, bool dry_run,
			   struct tunnel_policy_decision *d);

/*
 * The daemon applied value on channel c at now_ns.  Counts a change, restarts
 * the channel's dwell and ends its pending candidate, settling or recovery
 * when the value differs from the applied one or is the first; re-applying
 * the same value (e.g. after ospfd restarted) changes nothing.  Returns 0, or
 * -EINVAL for NULL st or a bad channel.
 */
int tunnel_policy_commit(struct tunnel_policy_state *st, enum tunnel_channel c, uint32_t value,
			 uint64_t now_ns);

/*
 * A full bucket of per_minute tokens at now_ns (per_minute 0: never a token;
 * above 1000000 counts as 1000000, which keeps the arithmetic in 64 bits).
 */
void tunnel_budget_init(struct tunnel_budget *b, uint32_t per_minute, uint64_t now_ns);

/* Change the rate (change-budget edited), keeping the tokens there, at most the new size. */
void tunnel_budget_set_rate(struct tunnel_budget *b, uint32_t per_minute, uint64_t now_ns);

/* Take one token if there is one: true if taken.  NULL b: true (no budget). */
bool tunnel_budget_take(struct tunnel_budget *b, uint64_t now_ns);

/* Whole tokens there at now_ns.  NULL b: UINT32_MAX. */
uint32_t tunnel_budget_tokens(struct tunnel_budget *b, uint64_t now_ns);

/* Seconds (rounded up) until a token is there: 0 if one is, or never will be. */
uint32_t tunnel_budget_wait_s(struct tunnel_budget *b, uint64_t now_ns);

/* Names for show output and logs: "healthy", "degraded", "down". */
const char *tunnel_health_state_name(enum tunnel_health_state s);

/* "none", "deadband", "dwell", "holddown", "budget", "dry-run", "recovery", "settle". */
const char *tunnel_held_by_name(enum tunnel_held_by h);

/* "local-preference", "ospf-cost". */
const char *tunnel_channel_name(enum tunnel_channel c);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_POLICY_H */
