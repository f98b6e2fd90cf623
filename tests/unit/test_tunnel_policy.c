// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Tests of core/tunnel_policy.c: health gate, hysteresis, recovery, budget.
 * Scripted sample sequences at 1 s steps drive score -> LP and RTT -> cost
 * through tunnel_score.c into the policy, and a fake daemon commits what it
 * is told to apply (or fails to).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "tunnel_policy.h"
#include "tunnel_score.h"

#define NS(s) ((uint64_t)(s) * 1000000000ULL)

#define LP   TUNNEL_CHANNEL_LP
#define COST TUNNEL_CHANNEL_COST

/* frr-tunneld.yang's profile defaults. */
static const struct tunnel_score_profile prof = {
	.score = {
		.w_bandwidth = 45,
		.w_rtt = 35,
		.w_jitter = 10,
		.w_loss = 300,
		.ref_bandwidth_kbps = 200000,
		.ref_rtt_ms = 50,
		.ref_jitter_ms = 20,
	},
	.lp = { .base = 100, .scale = 2, .max_score = 50 },
	.cost = {
		.mode = TUNNEL_COST_FORMULA_LATENCY,
		.beta = 0.5,
		.gamma = 10000,
		.delta = 1000,
		.minimum = 1,
		.maximum = 65534,
		.step = 1,
		.penalty = 65535,
	},
};

static const struct tunnel_policy_params defaults = {
	.health = { .max_loss_pct = 5, .max_rtt_ms = 500, .recovery_s = 60 },
	.hysteresis = { .lp_deadband = 5, .cost_deadband_pct = 10, .holddown = 8, .dwell_s = 120,
			.settle_s = 3, .settle_max_s = 10 },
	.lp_base = 100,
	.cost_penalty = 65535,
};

#define MAX_CHANGES 512

/* One tunnel and a fake daemon. */
struct sim {
	struct tunnel_policy_state st;
	struct tunnel_policy_params pp;
	struct tunnel_policy_decision d;
	bool fail; /* applying fails: nothing is committed */
	/* Committed changes after the first value, with their times (s, and ns). */
	unsigned int n[TUNNEL_CHANNEL_MAX];
	uint64_t at[TUNNEL_CHANNEL_MAX][MAX_CHANGES];
	uint64_t at_ns[TUNNEL_CHANNEL_MAX][MAX_CHANGES];
};

static void sim_init(struct sim *s, const struct tunnel_policy_params *pp)
{
	memset(s, 0, sizeof(*s));
	tunnel_policy_init(&s->st);
	s->pp = pp ? *pp : defaults;
}

static void sim_step_ns(struct sim *s, const struct tunnel_policy_input *in, uint64_t now,
			struct tunnel_budget *b, bool dry_run)
{
	assert_int_equal(tunnel_policy_evaluate(&s->st, &s->pp, in, now, b, dry_run, &s->d), 0);
	for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
		const struct tunnel_policy_channel_decision *cd = &s->d.ch[c];
		bool first = !s->st.ch[c].has_applied;
		uint32_t before = s->st.ch[c].applied;

		if (!cd->apply || s->fail)
			continue;
		assert_int_equal(tunnel_policy_commit(&s->st, (enum tunnel_channel)c, cd->target,
						      now),
				 0);
		if (!first && before != cd->target) {
			assert_true(s->n[c] < MAX_CHANGES);
			s->at_ns[c][s->n[c]] = now;
			s->at[c][s->n[c]++] = now / NS(1);
		}
	}
}

static void sim_step(struct sim *s, const struct tunnel_policy_input *in, uint64_t t,
		     struct tunnel_budget *b, bool dry_run)
{
	sim_step_ns(s, in, NS(t), b, dry_run);
}

/* Targets straight from the policy's point of view. */
static struct tunnel_policy_input targets(uint32_t lp, uint32_t cost)
{
	return (struct tunnel_policy_input){
		.health = TUNNEL_HEALTH_INPUT_OK,
		.use = { true, true },
		.target = { lp, cost },
	};
}

/* Smoothed metrics through tunnel_score.c and the health gate. */
static struct tunnel_policy_input measured(double rtt, double loss, bool down)
{
	struct tunnel_metrics m = { .rtt_ms = rtt, .jitter_ms = 1, .loss = loss,
				    .bandwidth_bps = 200e6 };
	struct tunnel_policy_input in = { .use = { true, true } };
	struct tunnel_score_result r;

	tunnel_score_evaluate(&prof, &m, &r);
	in.health = tunnel_health_gate(&defaults.health, loss, rtt, down, &in.limits);
	in.target[LP] = r.lp;
	in.target[COST] = r.cost;
	return in;
}

static struct tunnel_policy_input rtt_in(double rtt)
{
	return measured(rtt, 0, false);
}

/* LP and cost of a clean tunnel (1 ms jitter) of this RTT, by hand. */
#define LP_OF_10MS   175 /* 100 + floor(2 * (45 - 7 - 0.5)) */
#define LP_OF_60MS   105 /* 100 + floor(2 * (45 - 42 - 0.5)) */
#define COST_OF_10MS 5
#define COST_OF_60MS 30

/* Consecutive changes at least `gap` s apart: at most one per any `gap` window. */
static void assert_spaced(const struct sim *s, int c, uint64_t gap)
{
	for (unsigned int i = 1; i < s->n[c]; i++)
		assert_true(s->at[c][i] - s->at[c][i - 1] >= gap);
}

static void test_inputs_map(void **state)
{
	struct tunnel_policy_input in;

	(void)state;
	in = rtt_in(10);
	assert_int_equal(in.target[LP], LP_OF_10MS);
	assert_int_equal(in.target[COST], COST_OF_10MS);
	in = rtt_in(60);
	assert_int_equal(in.target[LP], LP_OF_60MS);
	assert_int_equal(in.target[COST], COST_OF_60MS);
}

static void test_health_gate(void **state)
{
	const struct tunnel_health_params *hp = &defaults.health;
	unsigned int l;

	(void)state;
	assert_int_equal(tunnel_health_gate(hp, 0.05, 500, false, &l), TUNNEL_HEALTH_INPUT_OK);
	assert_int_equal(l, 0);
	assert_int_equal(tunnel_health_gate(hp, 0.0501, 20, false, &l),
			 TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED);
	assert_int_equal(l, TUNNEL_LIMIT_LOSS);
	assert_int_equal(tunnel_health_gate(hp, 0, 500.1, false, &l),
			 TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED);
	assert_int_equal(l, TUNNEL_LIMIT_RTT);
	assert_int_equal(tunnel_health_gate(hp, 0.2, 900, false, &l),
			 TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED);
	assert_int_equal(l, TUNNEL_LIMIT_LOSS | TUNNEL_LIMIT_RTT);
	assert_int_equal(tunnel_health_gate(hp, NAN, 20, false, &l),
			 TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED);
	assert_int_equal(l, TUNNEL_LIMIT_LOSS);
	assert_int_equal(tunnel_health_gate(hp, 0, INFINITY, false, NULL),
			 TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED);
	/* Down wins; the limits are still reported. */
	assert_int_equal(tunnel_health_gate(hp, 0.2, 20, true, &l), TUNNEL_HEALTH_INPUT_DOWN);
	assert_int_equal(l, TUNNEL_LIMIT_LOSS);
	assert_int_equal(tunnel_health_gate(hp, 0, 20, true, &l), TUNNEL_HEALTH_INPUT_DOWN);
	assert_int_equal(tunnel_health_gate(NULL, 0, 20, false, &l), TUNNEL_HEALTH_INPUT_DOWN);
	assert_int_equal(l, 0);
}

static void test_first_value(void **state)
{
	struct tunnel_policy_input in = targets(150, 20);
	struct tunnel_budget b;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	/* Even with an empty budget the first value goes out at once. */
	tunnel_budget_init(&b, 1, NS(0));
	assert_true(tunnel_budget_take(&b, NS(0)));
	sim_step(&s, &in, 0, &b, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_HEALTHY);
	for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
		assert_true(s.d.ch[c].used);
		assert_true(s.d.ch[c].apply);
		assert_false(s.d.ch[c].has_applied);
		assert_int_equal(s.d.ch[c].held_by, TUNNEL_HELD_NONE);
		assert_string_equal(s.d.ch[c].reason, "first value");
		assert_int_equal(s.st.ch[c].changes, 1);
		assert_int_equal(s.st.ch[c].last_change_ns, 0);
	}
	assert_int_equal(s.st.ch[LP].applied, 150);
	assert_int_equal(s.st.ch[COST].applied, 20);

	/* Same target again: nothing. */
	sim_step(&s, &in, 1, &b, false);
	assert_false(s.d.ch[LP].apply);
	assert_true(s.d.ch[LP].has_applied);
	assert_int_equal(s.d.ch[LP].applied, 150);
	assert_string_equal(s.d.ch[LP].reason, "unchanged");
	assert_int_equal(s.d.ch[LP].next_change_in_s, 0);
}

/* The deadband and holddown thresholds, LP in points and cost in percent. */
static void test_thresholds(void **state)
{
	struct tunnel_policy_input in;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	in = targets(150, 100);
	sim_step(&s, &in, 0, NULL, false);

	in = targets(153, 109); /* better by 3 points; worse by 9 % */
	sim_step(&s, &in, 1, NULL, false);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DEADBAND);
	assert_string_equal(s.d.ch[LP].reason, "better");
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_DEADBAND);
	assert_string_equal(s.d.ch[COST].reason, "worse");
	assert_false(s.d.ch[LP].apply || s.d.ch[COST].apply);

	in = targets(156, 91); /* better by 6 points (< H 8); better by 9 % */
	sim_step(&s, &in, 2, NULL, false);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_HOLDDOWN);
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_DEADBAND);

	in = targets(158, 90); /* better by exactly max(D, H) = 8; by exactly 10 % */
	sim_step(&s, &in, 3, NULL, false);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DWELL);
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_DWELL);
	assert_string_equal(s.d.ch[LP].reason, "better");
	/* Dwell from the candidate at 3 s and from the first value at 0 s: 120 s. */
	assert_int_equal(s.d.ch[LP].next_change_in_s, 120);
	assert_true(s.st.ch[LP].candidate);

	in = targets(146, 100); /* worse by 4: deadband; cost back to applied */
	sim_step(&s, &in, 4, NULL, false);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DEADBAND);
	assert_string_equal(s.d.ch[LP].reason, "worse");
	assert_false(s.st.ch[LP].candidate);
	assert_string_equal(s.d.ch[COST].reason, "unchanged");
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_NONE);

	/*
	 * Worse by exactly the deadband: a worsening.  It used to go out at
	 * once; now it settles first (settle_s 3: out at 8 when it stays put).
	 */
	in = targets(145, 110);
	for (uint64_t t = 5; t < 8; t++) {
		sim_step(&s, &in, t, NULL, false);
		assert_false(s.d.ch[LP].apply || s.d.ch[COST].apply);
		assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
		assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_SETTLE);
		assert_string_equal(s.d.ch[LP].reason, "worse");
		assert_int_equal(s.d.ch[LP].next_change_in_s, 8 - t);
	}
	sim_step(&s, &in, 8, NULL, false);
	assert_true(s.d.ch[LP].apply);
	assert_true(s.d.ch[COST].apply);
	assert_string_equal(s.d.ch[LP].reason, "worse");
	assert_int_equal(s.st.ch[LP].applied, 145);
	assert_int_equal(s.st.ch[COST].applied, 110);
	assert_int_equal(s.st.ch[LP].changes, 2);
	assert_int_equal(s.st.ch[LP].last_change_ns, NS(8));
	assert_false(s.st.ch[LP].settling);

	/* A larger cost holddown: 15 % better is held by it, 20 % waits for dwell. */
	s.pp.hysteresis.holddown = 20;
	in = targets(145, 94);
	sim_step(&s, &in, 9, NULL, false);
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_HOLDDOWN);
	in = targets(145, 88);
	sim_step(&s, &in, 10, NULL, false);
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_DWELL);
	assert_int_equal(s.d.ch[COST].next_change_in_s, 120);
}

/* Evaluate s at t with these targets; true when a channel is applied. */
static bool step_to(struct sim *s, uint32_t lp, uint32_t cost, uint64_t t)
{
	struct tunnel_policy_input in = targets(lp, cost);

	sim_step(s, &in, t, NULL, false);
	return s->d.ch[LP].apply || s->d.ch[COST].apply;
}

static void assert_settling(const struct sim *s, int c, uint32_t next)
{
	assert_false(s->d.ch[c].apply);
	assert_int_equal(s->d.ch[c].held_by, TUNNEL_HELD_SETTLE);
	assert_string_equal(s->d.ch[c].reason, "worse");
	assert_int_equal(s->d.ch[c].next_change_in_s, next);
	assert_true(s->st.ch[c].settling);
}

/* The settle rule, evaluation by evaluation. */
static void test_settle(void **state)
{
	struct tunnel_policy_params pp = defaults;
	struct tunnel_policy_input in;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	step_to(&s, 150, 100, 0);

	/* Within 4 points of each other for 3 s: out at 13, the current target. */
	step_to(&s, 140, 100, 10);
	assert_settling(&s, LP, 3);
	assert_int_equal(s.st.ch[LP].settling_since_ns, NS(10));
	assert_string_equal(s.d.ch[COST].reason, "unchanged");
	step_to(&s, 138, 100, 11);
	assert_settling(&s, LP, 2);
	step_to(&s, 137, 100, 12);
	assert_settling(&s, LP, 1);
	assert_int_equal(s.st.ch[LP].band_lo, 137);
	assert_int_equal(s.st.ch[LP].band_hi, 140);
	assert_true(step_to(&s, 136, 100, 13));
	assert_string_equal(s.d.ch[LP].reason, "worse");
	assert_int_equal(s.st.ch[LP].applied, 136);
	assert_false(s.st.ch[LP].settling);

	/* A band a deadband wide starts again at the current target. */
	step_to(&s, 130, 100, 20);
	assert_settling(&s, LP, 3);
	step_to(&s, 126, 100, 21); /* 4 wide: same band */
	assert_settling(&s, LP, 2);
	step_to(&s, 125, 100, 22); /* 5 wide: a move */
	assert_settling(&s, LP, 3);
	assert_int_equal(s.st.ch[LP].band_since_ns, NS(22));
	assert_int_equal(s.st.ch[LP].settling_since_ns, NS(20));
	step_to(&s, 125, 100, 23);
	step_to(&s, 125, 100, 24);
	assert_settling(&s, LP, 1);
	assert_true(step_to(&s, 124, 100, 25));
	assert_int_equal(s.st.ch[LP].applied, 124);

	/* Back inside the deadband: the wait is over, a new worsening starts afresh. */
	step_to(&s, 118, 100, 30);
	assert_settling(&s, LP, 3);
	step_to(&s, 121, 100, 31);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DEADBAND);
	assert_false(s.st.ch[LP].settling);
	step_to(&s, 118, 100, 32);
	assert_settling(&s, LP, 3);
	assert_false(step_to(&s, 118, 100, 34));
	assert_true(step_to(&s, 118, 100, 35));
	assert_int_equal(s.n[LP], 3);

	/* Never settled: out after settle_max (10 s) as the target is then. */
	sim_init(&s, NULL);
	step_to(&s, 1000, 100, 0);
	for (uint64_t k = 0; k < 10; k++) {
		step_to(&s, 990 - 5 * (uint32_t)k, 100, 100 + k);
		assert_settling(&s, LP, k < 8 ? 3 : 10 - (uint32_t)k);
	}
	assert_true(step_to(&s, 940, 100, 110));
	assert_int_equal(s.st.ch[LP].applied, 940);

	/* Cost: the band is measured in percent of the current target. */
	step_to(&s, 940, 110, 200); /* exactly 10 % worse: a worsening */
	assert_settling(&s, COST, 3);
	step_to(&s, 940, 121, 201); /* 11 wide, under 10 % of 121 */
	assert_settling(&s, COST, 2);
	step_to(&s, 940, 121, 202);
	assert_true(step_to(&s, 940, 121, 203));
	assert_int_equal(s.st.ch[COST].applied, 121);
	step_to(&s, 940, 134, 210);
	assert_settling(&s, COST, 3);
	step_to(&s, 940, 149, 211); /* 15 wide, 10 % of 149 is 14.9: a move */
	assert_settling(&s, COST, 3);
	assert_false(step_to(&s, 940, 149, 213));
	assert_true(step_to(&s, 940, 149, 214));
	assert_int_equal(s.st.ch[COST].applied, 149);

	/* Deadband 0: every worsening counts, and a target settles by not moving. */
	pp.hysteresis.lp_deadband = 0;
	sim_init(&s, &pp);
	step_to(&s, 150, 100, 0);
	step_to(&s, 149, 100, 1);
	assert_settling(&s, LP, 3);
	step_to(&s, 149, 100, 2);
	assert_settling(&s, LP, 2);
	step_to(&s, 148, 100, 3);
	assert_settling(&s, LP, 3);
	assert_false(step_to(&s, 148, 100, 5));
	assert_true(step_to(&s, 148, 100, 6));

	/* settle_max below settle_s: settle_max decides. */
	pp = defaults;
	pp.hysteresis.settle_s = 5;
	pp.hysteresis.settle_max_s = 2;
	sim_init(&s, &pp);
	step_to(&s, 150, 100, 0);
	step_to(&s, 140, 100, 1);
	assert_settling(&s, LP, 2);
	assert_true(step_to(&s, 140, 100, 3));

	/* settle_s 0 or settle_max_s 0: worse goes out at once, as before settling. */
	pp.hysteresis.settle_s = 0;
	pp.hysteresis.settle_max_s = 10;
	sim_init(&s, &pp);
	step_to(&s, 150, 100, 0);
	assert_true(step_to(&s, 140, 100, 1));
	assert_false(s.st.ch[LP].settling);
	pp.hysteresis.settle_s = 3;
	pp.hysteresis.settle_max_s = 0;
	sim_init(&s, &pp);
	step_to(&s, 150, 100, 0);
	assert_true(step_to(&s, 140, 100, 1));

	/* Huge settle times: no overflow; settle_max still applies. */
	pp.hysteresis.settle_s = UINT32_MAX;
	pp.hysteresis.settle_max_s = 10;
	sim_init(&s, &pp);
	step_to(&s, 150, 100, 0);
	step_to(&s, 140, 100, 1);
	assert_settling(&s, LP, 10);
	assert_true(step_to(&s, 140, 100, 11));
	pp.hysteresis.settle_max_s = UINT32_MAX;
	sim_init(&s, &pp);
	step_to(&s, 150, 100, 0);
	step_to(&s, 140, 100, 1);
	assert_settling(&s, LP, UINT32_MAX);
	assert_false(step_to(&s, 140, 100, 100000));

	/* A clock going back while settling only delays. */
	sim_init(&s, NULL);
	step_to(&s, 150, 100, 0);
	step_to(&s, 140, 100, 1000);
	step_to(&s, 140, 100, 990);
	assert_settling(&s, LP, 3);
	step_to(&s, 140, 100, 1002);
	assert_settling(&s, LP, 1);
	assert_true(step_to(&s, 140, 100, 1003));

	/* Degraded while settling: the penalty goes out at once, settling ends. */
	sim_init(&s, NULL);
	step_to(&s, 150, 100, 0);
	step_to(&s, 140, 120, 1);
	assert_true(s.st.ch[LP].settling && s.st.ch[COST].settling);
	in = targets(140, 120);
	in.health = TUNNEL_HEALTH_INPUT_LIMIT_EXCEEDED;
	in.limits = TUNNEL_LIMIT_LOSS;
	sim_step(&s, &in, 2, NULL, false);
	assert_true(s.d.ch[LP].apply && s.d.ch[COST].apply);
	assert_int_equal(s.st.ch[LP].applied, 100);
	assert_false(s.st.ch[LP].settling || s.st.ch[COST].settling);

	/* Forgetting a channel, or committing another value, ends its settling. */
	sim_init(&s, NULL);
	step_to(&s, 150, 100, 0);
	step_to(&s, 140, 120, 1);
	tunnel_policy_forget(&s.st, LP);
	assert_false(s.st.ch[LP].settling);
	assert_int_equal(tunnel_policy_commit(&s.st, COST, 125, NS(2)), 0);
	assert_false(s.st.ch[COST].settling);
	assert_true(step_to(&s, 140, 130, 3)); /* LP: a first value; cost: 4 % worse */
	assert_string_equal(s.d.ch[LP].reason, "first value");
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_DEADBAND);
}

/* Better waits: dwell of the candidate and dwell since the last change. */
static void test_better_is_slow(void **state)
{
	struct tunnel_policy_input in;
	struct sim s;
	uint64_t t;

	(void)state;
	sim_init(&s, NULL);
	in = targets(150, 20);
	sim_step(&s, &in, 0, NULL, false);
	in = targets(140, 20); /* worse from 7 s: settled and changed at 10 s */
	for (t = 7; t <= 10; t++)
		sim_step(&s, &in, t, NULL, false);
	assert_int_equal(s.n[LP], 1);
	assert_int_equal(s.at[LP][0], 10);

	/* Better from 11 s: candidate since 11, last change 10: out at 131. */
	in = targets(160, 20);
	for (t = 11; t < 131; t++) {
		sim_step(&s, &in, t, NULL, false);
		assert_false(s.d.ch[LP].apply);
		assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DWELL);
		assert_int_equal(s.d.ch[LP].next_change_in_s, 131 - t);
	}
	/* The target moved on while waiting: the current one is applied. */
	in = targets(170, 20);
	sim_step(&s, &in, 131, NULL, false);
	assert_true(s.d.ch[LP].apply);
	assert_string_equal(s.d.ch[LP].reason, "better");
	assert_int_equal(s.st.ch[LP].applied, 170);

	/* The candidate restarts when the target falls back inside the margin. */
	in = targets(190, 20);
	for (t = 300; t < 360; t++)
		sim_step(&s, &in, t, NULL, false);
	in = targets(175, 20); /* only 5 better: held by holddown, candidate gone */
	sim_step(&s, &in, 360, NULL, false);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_HOLDDOWN);
	in = targets(190, 20);
	for (t = 361; t < 481; t++) {
		sim_step(&s, &in, t, NULL, false);
		assert_false(s.d.ch[LP].apply);
	}
	sim_step(&s, &in, 481, NULL, false);
	assert_true(s.d.ch[LP].apply);
	assert_int_equal(s.st.ch[LP].applied, 190);
	assert_int_equal(s.n[LP], 3);

	/*
	 * A candidate that turns worse is dropped and the worsening goes out
	 * (formerly at once, now once settled: 3 s later).
	 */
	in = targets(200, 20);
	sim_step(&s, &in, 700, NULL, false);
	assert_true(s.st.ch[LP].candidate);
	in = targets(180, 20);
	sim_step(&s, &in, 701, NULL, false);
	assert_false(s.st.ch[LP].candidate);
	assert_true(s.st.ch[LP].settling);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
	sim_step(&s, &in, 704, NULL, false);
	assert_true(s.d.ch[LP].apply);
	assert_int_equal(s.st.ch[LP].applied, 180);
}

/*
 * Step 10 ms -> 60 ms through an EWMA (alpha 0.25, one evaluation a second)
 * with the default LP mapping and latency cost: the targets ramp over ~10 s.
 *
 *	t	100 101 102 103 104 105 106 107 108 109 110 111 112 113 114
 *	LP	157 144 134 127 121 117 114 112 110 108 107 107 106 106 105
 *	cost	 11  16  19  22  24  26  27  27  28  29  29  29  29  30  30
 *
 * Without settling each deadband of that ramp was a change (5 LP and 5 cost
 * changes from 100 s on).  Now the cost band restarts at 105 (26) and stays
 * under 10 % of the target until 108: out as 28.  The LP band restarts at 106
 * (114) and 109 (108), so LP goes out by settle_max, 10 s after it first was
 * worse: at 110 as 107.  What remains (LP 2, cost 2 = 7 %) is inside the
 * deadband: exactly one change per channel, within 15 s.
 */
static void test_step(void **state)
{
	struct tunnel_policy_input in;
	struct tunnel_budget b;
	double r = 10;
	struct sim s;
	uint64_t t;

	(void)state;
	sim_init(&s, NULL);
	tunnel_budget_init(&b, 20, NS(0));
	for (t = 0; t < 400; t++) {
		r += 0.25 * ((t >= 100 ? 60.0 : 10.0) - r);
		in = rtt_in(r);
		sim_step(&s, &in, t, &b, false);
		if (t == 99) {
			assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);
			assert_int_equal(s.st.ch[COST].applied, COST_OF_10MS);
			assert_int_equal(s.n[LP] + s.n[COST], 0);
		}
		if (t == 100) {
			assert_int_equal(in.target[LP], 157);
			assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
			assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_SETTLE);
			assert_string_equal(s.d.ch[LP].reason, "worse");
			assert_int_equal(s.d.ch[LP].next_change_in_s, 3);
		}
		if (t == 108) {
			assert_true(s.d.ch[COST].apply);
			assert_int_equal(s.st.ch[COST].applied, 28);
			assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
			/* settle_max 2 s away, the band 3 s from 106 (1 s away). */
			assert_int_equal(s.d.ch[LP].next_change_in_s, 1);
		}
		if (t == 109) {
			/* The band restarted at 108: settle_max (1 s) comes first. */
			assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
			assert_int_equal(s.d.ch[LP].next_change_in_s, 1);
		}
		if (t == 110) {
			assert_true(s.d.ch[LP].apply);
			assert_string_equal(s.d.ch[LP].reason, "worse");
			assert_int_equal(s.st.ch[LP].applied, 107);
		}
		if (t > 110 && t < 400) {
			assert_false(s.d.ch[LP].apply || s.d.ch[COST].apply);
			assert_int_equal(s.d.ch[LP].held_by, in.target[LP] == 107
								      ? TUNNEL_HELD_NONE
								      : TUNNEL_HELD_DEADBAND);
		}
	}
	assert_int_equal(s.n[LP], 1);
	assert_int_equal(s.n[COST], 1);
	assert_int_equal(s.at[LP][0], 110);
	assert_int_equal(s.at[COST][0], 108);
	assert_int_equal(in.target[LP], LP_OF_60MS);
	assert_int_equal(in.target[COST], COST_OF_60MS);

	/* And back: better is slow, one change after dwell, to the current target. */
	for (t = 400; t < 700; t++) {
		r += 0.25 * (10.0 - r);
		in = rtt_in(r);
		sim_step(&s, &in, t, &b, false);
		if (t < 520) {
			assert_false(s.d.ch[LP].apply);
			assert_false(s.d.ch[COST].apply);
		}
		if (t == 520) {
			assert_true(s.d.ch[LP].apply && s.d.ch[COST].apply);
			assert_string_equal(s.d.ch[LP].reason, "better");
		}
	}
	assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);
	assert_int_equal(s.st.ch[COST].applied, COST_OF_10MS);
	assert_int_equal(s.n[LP], 2);
	assert_int_equal(s.n[COST], 2);
	assert_int_equal(s.at[LP][1], 520);
	assert_int_equal(s.at[COST][1], 520);
}

/*
 * Step 0 -> 5 % loss (at max-loss, not over it) through the same EWMA: the LP
 * falls by 30 points over ~10 s and goes out once; the latency cost does not
 * see loss.  The health gate is never crossed (the EWMA stays below 5 %).
 *
 *	t	100 101 102 103 104 105 106 107 108 109 110 111
 *	LP	167 161 157 154 152 150 149 148 147 146 146 145
 *
 * The band restarts at 101, 103 and 106 and holds 146..149 until 109.
 */
static void test_step_loss(void **state)
{
	struct tunnel_policy_input in;
	double loss = 0;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	for (uint64_t t = 0; t < 300; t++) {
		loss += 0.25 * ((t >= 100 ? 0.05 : 0.0) - loss);
		in = measured(10, loss, false);
		assert_int_equal(in.health, TUNNEL_HEALTH_INPUT_OK);
		sim_step(&s, &in, t, NULL, false);
		assert_int_equal(s.d.state, TUNNEL_STATE_HEALTHY);
	}
	assert_int_equal(in.target[LP], LP_OF_10MS - 30);
	assert_int_equal(s.n[LP], 1);
	assert_int_equal(s.n[COST], 0);
	assert_int_equal(s.at[LP][0], 109);
	assert_int_equal(s.st.ch[LP].applied, 146);
}

/*
 * A fast profile: 200 ms probes, EWMA alpha 0.5 per probe, one evaluation per
 * probe, settle_s 1 (what the daemon derives from 200 ms).  The step is out
 * within 2 s, well inside the 5 s asked for:
 *
 *	t	100.0 100.2 100.4 100.6 100.8 101.0 101.2 ... 101.8 102.0
 *	LP	  140   122   113   109   107   106   105 ...   105   105
 *	cost	   18    24    27    28    29    30    30 ...    30    30
 *
 * LP's band restarts at 100.8 (107, 6 below 113) and holds 1 s: out at 101.8
 * as 105; cost's restarts at 101.0 (30, 3 >= 10 % of 30): out at 102.0 as 30.
 */
static void test_step_fast(void **state)
{
	struct tunnel_policy_params pp = defaults;
	struct tunnel_policy_input in;
	double r = 10;
	struct sim s;

	(void)state;
	pp.hysteresis.settle_s = 1;
	sim_init(&s, &pp);
	for (uint64_t ms = 0; ms < 300000; ms += 200) {
		r += 0.5 * ((ms >= 100000 ? 60.0 : 10.0) - r);
		in = rtt_in(r);
		sim_step_ns(&s, &in, ms * 1000000ULL, NULL, false);
	}
	assert_int_equal(s.n[LP], 1);
	assert_int_equal(s.n[COST], 1);
	assert_int_equal(s.at_ns[LP][0], 101800000000ULL);
	assert_int_equal(s.at_ns[COST][0], 102000000000ULL);
	assert_true(s.at_ns[LP][0] < NS(105) && s.at_ns[COST][0] < NS(105));
	assert_int_equal(s.st.ch[LP].applied, LP_OF_60MS);
	assert_int_equal(s.st.ch[COST].applied, COST_OF_60MS);
}

/* RTT ramps 10 -> 110 ms over 10 min, stays, ramps back, stays. */
static void test_ramp(void **state)
{
	struct tunnel_policy_input in;
	unsigned int up_lp = 0, up_cost;
	uint32_t prev_lp = 0, prev_cost = 0;
	struct sim s;
	double r;

	(void)state;
	sim_init(&s, NULL);
	for (uint64_t t = 0; t <= 2400; t++) {
		if (t <= 600)
			r = 10 + 100.0 * (double)t / 600;
		else if (t <= 900)
			r = 110;
		else if (t <= 1500)
			r = 110 - 100.0 * (double)(t - 900) / 600;
		else
			r = 10;
		in = rtt_in(r);
		sim_step(&s, &in, t, NULL, false);

		if (t <= 900) {
			/*
			 * Worsening is followed within one deadband plus what the
			 * ramp moves while it settles (3 s: 0.7 LP points, 0.25
			 * cost), every second.  Without settling it was one
			 * deadband; the LP lag now reaches exactly 5.
			 */
			assert_true(s.st.ch[LP].applied - in.target[LP] <= 5);
			assert_true(((int64_t)in.target[COST] - s.st.ch[COST].applied - 1) * 100 <
				    10 * (int64_t)s.st.ch[COST].applied);
		} else {
			/* On the way back only improvements, never past the target. */
			assert_true(s.st.ch[LP].applied >= prev_lp);
			assert_true(s.st.ch[LP].applied <= in.target[LP]);
			assert_true(s.st.ch[COST].applied <= prev_cost);
		}
		prev_lp = s.st.ch[LP].applied;
		prev_cost = s.st.ch[COST].applied;
		if (t == 900) {
			up_lp = s.n[LP];
			up_cost = s.n[COST];
			assert_int_equal(s.st.ch[LP].applied, 100);
			/* Target 55; 51 is within the 10 % deadband of it. */
			assert_int_equal(in.target[COST], 55);
			assert_int_equal(s.st.ch[COST].applied, 51);
			/* 75 LP points in steps of at least 5 (more: floor). */
			assert_in_range(up_lp, 10, 15);
			assert_true(up_cost >= 5);
		}
	}
	/*
	 * On the way back: improvements at least dwell apart.  LP leaves 100 at
	 * 63.6 ms (t = 1178) and rises 0.23 point/s: 8 better at t = 1213, out
	 * 120 s later at 136; again 8 better at 1368, out at 1488 (172).  175 is
	 * then only 3 better: inside the deadband for good.
	 */
	assert_int_equal(s.n[LP] - up_lp, 2);
	assert_int_equal(s.at[LP][up_lp], 1333);
	assert_int_equal(s.at[LP][up_lp + 1], 1488);
	assert_int_equal(s.st.ch[LP].applied, 172);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DEADBAND);
	for (unsigned int i = up_cost + 1; i < s.n[COST]; i++)
		assert_true(s.at[COST][i] - s.at[COST][i - 1] >= 120);
	assert_int_equal(s.n[COST] - up_cost, 4);
	assert_int_equal(s.st.ch[COST].applied, COST_OF_10MS);
}

/* Square wave in the smoothed RTT: period 60 s, dwell 120 s, 1 h. */
static void test_square_wave(void **state)
{
	struct tunnel_policy_input in;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	for (uint64_t t = 0; t < 3600; t++) {
		in = rtt_in(t % 60 < 30 ? 10 : 60);
		sim_step(&s, &in, t, NULL, false);
	}
	for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
		/*
		 * The first worsening went out once settled (a constant target:
		 * settle_s after the edge at 30, formerly at 30 itself); no
		 * improvement ever lasted.
		 */
		assert_int_equal(s.n[c], 1);
		assert_int_equal(s.at[c][0], 33);
		assert_spaced(&s, c, 120);
	}
	assert_int_equal(s.st.ch[LP].applied, LP_OF_60MS);
	assert_int_equal(s.st.ch[COST].applied, COST_OF_60MS);
}

/* The most changes of channel c in any window [w, w + len) within [0, end). */
static unsigned int max_in_window(const struct sim *s, int c, uint64_t len, uint64_t end)
{
	unsigned int most = 0;

	for (uint64_t w = 0; w + len <= end; w++) {
		unsigned int k = 0;

		for (unsigned int i = 0; i < s->n[c]; i++)
			k += s->at[c][i] >= w && s->at[c][i] < w + len;
		if (k > most)
			most = k;
	}
	return most;
}

/* One hour of a raw RTT square wave lo/hi (period 60 s), smoothed with alpha 0.25. */
static void smoothed_wave(struct sim *s, double lo, double hi)
{
	struct tunnel_policy_input in;
	double r = lo;

	for (uint64_t t = 0; t < 3600; t++) {
		r += 0.25 * ((t % 60 < 30 ? lo : hi) - r);
		in = rtt_in(r);
		assert_int_equal(in.health, TUNNEL_HEALTH_INPUT_OK);
		sim_step(s, &in, t, NULL, false);
	}
}

/*
 * The same wave in the raw RTT, smoothed with alpha 0.25 at 1 s: the EWMA
 * turns each rising edge into a ramp of ~10 s.  Without settling, worse-is-
 * fast followed the first ramp in deadband steps (LP 7 and cost 6 changes
 * within 10 s for 10/60 ms); with it each channel changes once, on the first
 * edge, and never again (later edges only come back to the applied value,
 * improvements never last dwell): at most one change in any 120 s (dwell).
 *
 * 10/60: cost settles at 38 (28), LP goes out by settle_max at 40 (107);
 * 10/90: LP reaches base 100 at 33 and settles at 36, cost at 39 (43; the
 * end value 45 is 4.7 % more).
 */
static void test_square_wave_smoothed(void **state)
{
	struct tunnel_policy_params pp = defaults;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	smoothed_wave(&s, 10, 60);
	for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
		assert_int_equal(max_in_window(&s, c, 120, 3600), 1);
		assert_int_equal(s.n[c], 1);
	}
	assert_int_equal(s.at[LP][0], 40);
	assert_int_equal(s.at[COST][0], 38);
	assert_int_equal(s.st.ch[LP].applied, 107);
	assert_int_equal(s.st.ch[COST].applied, 28);

	sim_init(&s, NULL);
	smoothed_wave(&s, 10, 90);
	for (int c = 0; c < TUNNEL_CHANNEL_MAX; c++) {
		assert_int_equal(max_in_window(&s, c, 120, 3600), 1);
		assert_int_equal(s.n[c], 1);
	}
	assert_int_equal(s.at[LP][0], 36);
	assert_int_equal(s.at[COST][0], 39);
	assert_int_equal(s.st.ch[LP].applied, 100);
	assert_int_equal(s.st.ch[COST].applied, 43);

	/* The same waves without settling (the old rule): the windows do see more. */
	pp.hysteresis.settle_s = 0;
	sim_init(&s, &pp);
	smoothed_wave(&s, 10, 60);
	assert_int_equal(max_in_window(&s, LP, 120, 3600), 7);
	assert_int_equal(max_in_window(&s, COST, 120, 3600), 6);
	sim_init(&s, &pp);
	smoothed_wave(&s, 10, 90);
	assert_int_equal(max_in_window(&s, LP, 120, 3600), 4);
	assert_int_equal(max_in_window(&s, COST, 120, 3600), 7);
	/* settle_max_s 0 disables settling as well. */
	pp.hysteresis.settle_s = 3;
	pp.hysteresis.settle_max_s = 0;
	sim_init(&s, &pp);
	smoothed_wave(&s, 10, 90);
	assert_int_equal(max_in_window(&s, COST, 120, 3600), 7);
}

/* Tiny deterministic generator for noise. */
static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1664525U + 1013904223U;
	return *x >> 16;
}

/* Noise inside the deadband for 1 h: nothing changes; a bit more noise does. */
static void test_noise(void **state)
{
	struct tunnel_policy_input in;
	uint32_t x = 42;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	for (uint64_t t = 0; t < 3600; t++) {
		/* LP 150 +- 2 points; cost 100 +- 4 (< 10 % of 96). */
		in = targets(148 + lcg(&x) % 5, 96 + lcg(&x) % 9);
		sim_step(&s, &in, t, NULL, false);
		assert_false(s.d.ch[LP].apply && t > 0);
	}
	assert_int_equal(s.n[LP], 0);
	assert_int_equal(s.n[COST], 0);
	assert_int_equal(s.st.ch[LP].changes, 1);

	/*
	 * 150 +- 3 from a first value of 153 reaches the deadband: worsening
	 * goes out (now only once 147 or 148 held for 3 s, which happens).
	 */
	sim_init(&s, NULL);
	for (uint64_t t = 0; t < 3600; t++) {
		in = targets(t ? 147 + lcg(&x) % 7 : 153, 100);
		sim_step(&s, &in, t, NULL, false);
	}
	assert_true(s.n[LP] > 0);

	/*
	 * Dips past the deadband shorter than settle_s (LP 150 -> 140 and cost
	 * 100 -> 120 for 3 evaluations every 30 s) never settle: no change in
	 * 1 h.  Without settling the first dip went out at once.
	 */
	for (int settle = 3; settle >= 0; settle -= 3) {
		struct tunnel_policy_params pp = defaults;

		pp.hysteresis.settle_s = (uint32_t)settle;
		sim_init(&s, &pp);
		for (uint64_t t = 0; t < 3600; t++) {
			bool dip = t % 30 >= 27;

			in = targets(dip ? 140 : 150, dip ? 120 : 100);
			sim_step(&s, &in, t, NULL, false);
		}
		assert_int_equal(s.n[LP], settle ? 0 : 1);
		assert_int_equal(s.n[COST], settle ? 0 : 1);
		assert_int_equal(s.st.ch[LP].applied, settle ? 150 : 140);
	}
}

/* A cut: DOWN for 5 s, then OK. */
static void test_cut(void **state)
{
	struct tunnel_policy_input in;
	struct tunnel_budget b;
	struct sim s;
	uint64_t t;

	(void)state;
	sim_init(&s, NULL);
	tunnel_budget_init(&b, 20, NS(0));
	for (t = 0; t < 300; t++) {
		in = rtt_in(10);
		sim_step(&s, &in, t, &b, false);
	}
	/* An empty budget does not hold an emergency. */
	while (tunnel_budget_take(&b, NS(299)))
		;

	for (t = 300; t < 305; t++) {
		in = measured(NAN, 1.0, true);
		sim_step(&s, &in, t, &b, false);
		assert_int_equal(s.d.state, TUNNEL_STATE_DOWN);
		assert_string_equal(s.d.ch[LP].reason, "down");
		assert_string_equal(s.d.ch[COST].reason, "down");
		assert_int_equal(s.d.ch[LP].target, 100);
		assert_int_equal(s.d.ch[COST].target, 65535);
		assert_true(s.d.ch[LP].apply == (t == 300));
		assert_true(s.d.ch[COST].apply == (t == 300));
		assert_int_equal(s.st.ch[LP].applied, 100);
		assert_int_equal(s.st.ch[COST].applied, 65535);
	}
	/* Gate passes from 305: 60 s of it, and dwell (120 s) since the cut: 420. */
	for (t = 305; t < 420; t++) {
		in = rtt_in(10);
		sim_step(&s, &in, t, &b, false);
		assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
		assert_false(s.d.ch[LP].apply || s.d.ch[COST].apply);
		assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_RECOVERY);
		assert_string_equal(s.d.ch[LP].reason, "recovering");
		assert_int_equal(s.d.ch[LP].target, LP_OF_10MS);
		assert_int_equal(s.d.ch[LP].applied, 100);
		assert_int_equal(s.d.ch[LP].next_change_in_s, 420 - t);
	}
	sim_step(&s, &in, 420, &b, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_HEALTHY);
	assert_true(s.d.ch[LP].apply && s.d.ch[COST].apply);
	assert_string_equal(s.d.ch[LP].reason, "recovered");
	assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);
	assert_int_equal(s.st.ch[COST].applied, COST_OF_10MS);
	assert_int_equal(s.n[LP], 2);
	assert_false(s.st.ch[LP].recover_pending);

	sim_step(&s, &in, 421, &b, false);
	assert_false(s.d.ch[LP].apply);
	assert_string_equal(s.d.ch[LP].reason, "unchanged");
}

/* Recovery restarts when the gate fails again while recovering. */
static void test_redegrade_during_recovery(void **state)
{
	struct tunnel_policy_params pp = defaults;
	struct tunnel_policy_input in;
	struct sim s;
	uint64_t t;

	(void)state;
	pp.hysteresis.dwell_s = 30;
	sim_init(&s, &pp);
	in = rtt_in(10);
	sim_step(&s, &in, 0, NULL, false);
	in = measured(NAN, 1.0, true);
	sim_step(&s, &in, 100, NULL, false);
	assert_int_equal(s.st.ch[LP].applied, 100);

	for (t = 101; t < 150; t++) {
		in = rtt_in(10);
		sim_step(&s, &in, t, NULL, false);
		assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
	}
	/* Loss over 5 % at 150 s: degraded again, nothing to apply. */
	in = measured(10, 0.08, false);
	sim_step(&s, &in, 150, NULL, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
	assert_string_equal(s.d.ch[LP].reason, "degraded: loss");
	assert_false(s.d.ch[LP].apply);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_NONE);
	assert_int_equal(s.d.ch[LP].target, 100);

	/* Would have recovered at 161; now 151 + 60 = 211. */
	for (t = 151; t < 211; t++) {
		in = rtt_in(10);
		sim_step(&s, &in, t, NULL, false);
		assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
		assert_false(s.d.ch[LP].apply);
	}
	sim_step(&s, &in, 211, NULL, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_HEALTHY);
	assert_true(s.d.ch[LP].apply);

	/* RTT over 500 ms while healthy: degraded at once, penalty out. */
	in = measured(600, 0, false);
	sim_step(&s, &in, 300, NULL, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
	assert_string_equal(s.d.ch[COST].reason, "degraded: rtt");
	assert_true(s.d.ch[COST].apply);
	assert_int_equal(s.st.ch[COST].applied, 65535);
	in = measured(600, 0.5, false);
	sim_step(&s, &in, 301, NULL, false);
	assert_string_equal(s.d.ch[COST].reason, "degraded: loss, rtt");
	/* Down from degraded, then up but still over the limits. */
	in = measured(600, 0.5, true);
	sim_step(&s, &in, 302, NULL, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_DOWN);
	assert_false(s.d.ch[COST].apply);
	in = measured(600, 0.5, false);
	sim_step(&s, &in, 303, NULL, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
}

/* Cut at `t`, OK afterwards; returns when it recovered. */
static uint64_t cut_and_recover(struct sim *s, uint64_t t)
{
	struct tunnel_policy_input in = measured(NAN, 1.0, true);

	sim_step(s, &in, t, NULL, false);
	assert_int_equal(s->d.state, TUNNEL_STATE_DOWN);
	in = rtt_in(10);
	for (t++; t < 100000; t++) {
		sim_step(s, &in, t, NULL, false);
		if (s->d.state == TUNNEL_STATE_HEALTHY)
			return t;
	}
	fail();
	return 0;
}

/* Degrading again within dwell of a recovery doubles recovery-time (to 8x). */
static void test_flap_damping(void **state)
{
	struct tunnel_policy_params pp = defaults;
	struct tunnel_policy_input in;
	struct sim s;
	uint64_t r;

	(void)state;
	pp.hysteresis.dwell_s = 30;
	sim_init(&s, &pp);
	in = rtt_in(10);
	sim_step(&s, &in, 0, NULL, false);

	/* Cut at c, the gate passes from c + 1: recovered at c + 1 + 60 * factor. */
	r = cut_and_recover(&s, 100);
	assert_int_equal(r, 101 + 60);
	r = cut_and_recover(&s, r + 10); /* 10 s after recovering: 2x */
	assert_int_equal(r, 172 + 120);
	r = cut_and_recover(&s, r + 10); /* 4x */
	assert_int_equal(r, 303 + 240);
	r = cut_and_recover(&s, r + 10); /* 8x */
	assert_int_equal(r, 554 + 480);
	assert_int_equal(s.st.recovery_shift, 3);
	r = cut_and_recover(&s, r + 10); /* capped at 8x */
	assert_int_equal(r, 1045 + 480);
	assert_int_equal(s.st.recovery_shift, 3);

	/* Each quiet 4 * dwell (120 s) halves it: 1525 + 120 -> 4x. */
	in = rtt_in(10);
	sim_step(&s, &in, 1644, NULL, false);
	assert_int_equal(s.st.recovery_shift, 3);
	sim_step(&s, &in, 1645, NULL, false);
	assert_int_equal(s.st.recovery_shift, 2);
	/* A cut more than dwell after recovering is no flap: 2x after one more halving. */
	r = cut_and_recover(&s, 1800);
	assert_int_equal(s.st.recovery_shift, 1);
	assert_int_equal(r, 1801 + 120);
	/* Quiet long enough: back to 1x. */
	sim_step(&s, &in, 1921 + 119, NULL, false);
	assert_int_equal(s.st.recovery_shift, 1);
	sim_step(&s, &in, 1921 + 120, NULL, false);
	assert_int_equal(s.st.recovery_shift, 0);
	r = cut_and_recover(&s, 3000);
	assert_int_equal(r, 3001 + 60);
}

/* 30 tunnels at a budget of 20 changes a minute. */
static void test_budget_30_tunnels(void **state)
{
	enum { N = 30 };
	static struct sim tun[N];
	struct tunnel_policy_input in;
	struct tunnel_budget b;
	unsigned int applied;
	uint64_t t;

	(void)state;
	tunnel_budget_init(&b, 20, NS(0));
	/* LP only: one token per change. */
	for (int i = 0; i < N; i++) {
		sim_init(&tun[i], NULL);
		in = rtt_in(10);
		in.use[COST] = false;
		sim_step(&tun[i], &in, 0, &b, false);
		/* First values need no token (but take one while there are some). */
		assert_true(tun[i].d.ch[LP].apply);
		assert_false(tun[i].d.ch[COST].used);
		assert_string_equal(tun[i].d.ch[COST].reason, "unused");
		assert_false(tun[i].st.ch[COST].has_applied);
	}
	assert_int_equal(tunnel_budget_tokens(&b, NS(0)), 0);
	assert_int_equal(tunnel_budget_tokens(&b, NS(60)), 20);

	/*
	 * All worsen from 197 s and have settled at 200 s (before settling they
	 * worsened at 200 s itself): 20 go out, 10 wait; then one every 3 s.
	 * Settling takes no tokens.
	 */
	for (t = 197; t < 200; t++) {
		for (int i = 0; i < N; i++) {
			in = rtt_in(60);
			in.use[COST] = false;
			sim_step(&tun[i], &in, t, &b, false);
			assert_int_equal(tun[i].d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
		}
	}
	assert_int_equal(tunnel_budget_tokens(&b, NS(199)), 20);
	for (t = 200; t < 240; t++) {
		applied = 0;
		for (int i = 0; i < N; i++) {
			in = rtt_in(60);
			in.use[COST] = false;
			sim_step(&tun[i], &in, t, &b, false);
			if (tun[i].d.ch[LP].held_by == TUNNEL_HELD_BUDGET) {
				assert_string_equal(tun[i].d.ch[LP].reason, "worse");
				assert_in_range(tun[i].d.ch[LP].next_change_in_s, 1, 3);
			}
			applied += tun[i].st.ch[LP].applied == LP_OF_60MS;
		}
		if (t == 200) {
			assert_int_equal(applied, 20);
			assert_int_equal(tun[29].d.ch[LP].held_by, TUNNEL_HELD_BUDGET);
			assert_int_equal(tun[29].d.ch[LP].next_change_in_s, 3);
		} else {
			uint64_t more = (t - 200) / 3;

			assert_int_equal(applied, 20 + (more > 10 ? 10 : more));
		}
	}
	/* In order of evaluation, one per token. */
	assert_int_equal(tun[20].at[LP][0], 203);
	assert_int_equal(tun[29].at[LP][0], 230);
	assert_int_equal(tunnel_budget_tokens(&b, NS(240)), 3);
}

/* An emergency goes out with an empty budget. */
static void test_budget_emergency(void **state)
{
	struct tunnel_policy_input in;
	struct tunnel_budget b;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	tunnel_budget_init(&b, 2, NS(0));
	in = rtt_in(10);
	sim_step(&s, &in, 0, &b, false); /* two first values, two tokens */
	assert_int_equal(tunnel_budget_tokens(&b, NS(0)), 0);
	/* A worsening from 1 s: settles (no token needed) until 4 s, then the budget holds it. */
	in = rtt_in(60);
	for (uint64_t t = 1; t < 4; t++) {
		sim_step(&s, &in, t, &b, false);
		assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
	}
	sim_step(&s, &in, 4, &b, false);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_BUDGET);
	assert_int_equal(s.d.ch[LP].next_change_in_s, 26);
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_BUDGET);
	in = measured(60, 0.5, false);
	sim_step(&s, &in, 5, &b, false);
	assert_true(s.d.ch[LP].apply && s.d.ch[COST].apply);
	assert_string_equal(s.d.ch[LP].reason, "degraded: loss");

	/* The token there is spent on it. */
	in = measured(60, 0.5, true);
	tunnel_budget_init(&b, 2, NS(0));
	sim_init(&s, NULL);
	sim_step(&s, &in, 0, &b, false);
	assert_true(s.d.ch[LP].apply);
	assert_string_equal(s.d.ch[LP].reason, "down");
	assert_int_equal(tunnel_budget_tokens(&b, NS(0)), 0);
}

static void test_dry_run(void **state)
{
	struct tunnel_policy_input in;
	struct tunnel_budget b;
	struct sim s;

	(void)state;
	tunnel_budget_init(&b, 20, NS(0));
	sim_init(&s, NULL);

	/* Even a first value is only shown. */
	in = rtt_in(10);
	sim_step(&s, &in, 0, &b, true);
	assert_false(s.d.ch[LP].apply);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DRY_RUN);
	assert_string_equal(s.d.ch[LP].reason, "first value");
	assert_int_equal(s.d.ch[LP].target, LP_OF_10MS);
	assert_false(s.st.ch[LP].has_applied);
	assert_int_equal(tunnel_budget_tokens(&b, NS(0)), 20);

	sim_step(&s, &in, 1, &b, false);
	assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);
	assert_int_equal(tunnel_budget_tokens(&b, NS(1)), 18);

	/*
	 * A worsening: decided and reported, not applied, no token spent.  It
	 * settles first (10 to 12 s), only then would it go out.
	 */
	in = rtt_in(60);
	for (uint64_t t = 10; t < 20; t++) {
		sim_step(&s, &in, t, &b, true);
		assert_false(s.d.ch[LP].apply);
		assert_int_equal(s.d.ch[LP].held_by,
				 t < 13 ? TUNNEL_HELD_SETTLE : TUNNEL_HELD_DRY_RUN);
		assert_string_equal(s.d.ch[LP].reason, "worse");
		assert_int_equal(s.d.ch[LP].target, LP_OF_60MS);
		assert_int_equal(s.d.ch[LP].applied, LP_OF_10MS);
		assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);
		assert_int_equal(s.st.ch[LP].changes, 1);
	}
	assert_int_equal(tunnel_budget_tokens(&b, NS(20)), 20);

	/* Emergencies too; the health state does follow. */
	in = measured(10, 0, true);
	sim_step(&s, &in, 20, &b, true);
	assert_int_equal(s.d.state, TUNNEL_STATE_DOWN);
	assert_int_equal(s.d.ch[COST].held_by, TUNNEL_HELD_DRY_RUN);
	assert_int_equal(s.d.ch[COST].target, 65535);
	assert_string_equal(s.d.ch[COST].reason, "down");
	assert_int_equal(s.st.ch[COST].applied, COST_OF_10MS);

	/* dry-run off: the pending emergency goes out. */
	sim_step(&s, &in, 21, &b, false);
	assert_true(s.d.ch[COST].apply);
	assert_int_equal(s.st.ch[COST].applied, 65535);
}

/*
 * Seed 004's flapping example: B and C alternate 151/149 and 148/150 every
 * minute.  Returns how often the preferred tunnel (higher applied LP) changed.
 */
static unsigned int alternate(const struct tunnel_policy_params *pp, unsigned int *changes)
{
	struct sim b, c;
	struct tunnel_policy_input in;
	unsigned int switches = 0;
	int pref = 0, now;

	sim_init(&b, pp);
	sim_init(&c, pp);
	for (uint64_t t = 0; t < 3600; t++) {
		bool odd = (t / 60) % 2;

		in = targets(odd ? 148 : 151, 10);
		in.use[COST] = false;
		sim_step(&b, &in, t, NULL, false);
		in = targets(odd ? 150 : 149, 10);
		in.use[COST] = false;
		sim_step(&c, &in, t, NULL, false);
		now = b.st.ch[LP].applied > c.st.ch[LP].applied   ? 1
		      : b.st.ch[LP].applied < c.st.ch[LP].applied ? 2
								  : pref;
		if (pref && now != pref)
			switches++;
		pref = now;
	}
	*changes = b.n[LP] + c.n[LP];
	return switches;
}

static void test_b151_c149(void **state)
{
	struct tunnel_policy_params pp = defaults;
	unsigned int changes;

	(void)state;
	/* Defaults: nothing moves, B stays preferred. */
	assert_int_equal(alternate(&pp, &changes), 0);
	assert_int_equal(changes, 0);

	/* H = 8 alone (no deadband, no dwell): B's first dip goes out, then it holds. */
	pp.hysteresis.lp_deadband = 0;
	pp.hysteresis.dwell_s = 0;
	assert_int_equal(alternate(&pp, &changes), 1);
	assert_int_equal(changes, 1);

	/* Without hold-down the naive controller flaps every minute. */
	pp.hysteresis.holddown = 0;
	assert_int_equal(alternate(&pp, &changes), 59);
	assert_true(changes >= 100);
}

/* The daemon fails to apply: nothing is committed, the change is proposed again. */
static void test_apply_failure(void **state)
{
	struct tunnel_policy_input in;
	struct tunnel_budget b;
	struct sim s;
	uint64_t t;

	(void)state;
	sim_init(&s, NULL);
	tunnel_budget_init(&b, 20, NS(0));

	/* A first value that fails stays a first value. */
	s.fail = true;
	in = rtt_in(10);
	sim_step(&s, &in, 0, &b, false);
	sim_step(&s, &in, 1, &b, false);
	assert_true(s.d.ch[LP].apply);
	assert_string_equal(s.d.ch[LP].reason, "first value");
	s.fail = false;
	sim_step(&s, &in, 2, &b, false);
	assert_int_equal(s.st.ch[LP].changes, 1);

	/*
	 * A worsening from 7 s, settled at 10 s: retried each evaluation (each
	 * try spends a token) without settling again.
	 */
	s.fail = true;
	in = rtt_in(60);
	for (t = 7; t < 10; t++) {
		sim_step(&s, &in, t, &b, false);
		assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_SETTLE);
	}
	for (t = 10; t < 13; t++) {
		sim_step(&s, &in, t, &b, false);
		assert_true(s.d.ch[LP].apply);
		assert_string_equal(s.d.ch[LP].reason, "worse");
		assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);
		assert_int_equal(s.st.ch[LP].changes, 1);
	}
	s.fail = false;
	sim_step(&s, &in, 13, &b, false);
	assert_int_equal(s.st.ch[LP].applied, LP_OF_60MS);
	assert_int_equal(s.st.ch[LP].last_change_ns, NS(13));
	sim_step(&s, &in, 14, &b, false);
	assert_false(s.d.ch[LP].apply);

	/* An improvement after dwell: retried without a new dwell. */
	in = rtt_in(10);
	for (t = 200; t < 320; t++)
		sim_step(&s, &in, t, &b, false);
	s.fail = true;
	for (t = 320; t < 325; t++) {
		sim_step(&s, &in, t, &b, false);
		assert_true(s.d.ch[LP].apply);
		assert_string_equal(s.d.ch[LP].reason, "better");
	}
	s.fail = false;
	sim_step(&s, &in, 325, &b, false);
	assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);

	/* An emergency: retried. */
	s.fail = true;
	in = measured(10, 0, true);
	for (t = 400; t < 405; t++) {
		sim_step(&s, &in, t, &b, false);
		assert_true(s.d.ch[LP].apply);
		assert_string_equal(s.d.ch[LP].reason, "down");
	}
	s.fail = false;
	sim_step(&s, &in, 405, &b, false);
	assert_int_equal(s.st.ch[LP].applied, 100);

	/* A recovery: retried. Dwell since 405, gate since 406: 525. */
	in = rtt_in(10);
	for (t = 406; t < 525; t++)
		sim_step(&s, &in, t, &b, false);
	assert_int_equal(s.st.state, TUNNEL_STATE_DEGRADED);
	s.fail = true;
	for (t = 525; t < 530; t++) {
		sim_step(&s, &in, t, &b, false);
		assert_int_equal(s.d.state, TUNNEL_STATE_HEALTHY);
		assert_true(s.d.ch[LP].apply);
		assert_string_equal(s.d.ch[LP].reason, "recovered");
	}
	s.fail = false;
	sim_step(&s, &in, 530, &b, false);
	assert_int_equal(s.st.ch[LP].applied, LP_OF_10MS);
	/* Re-applying the same value is no change. */
	assert_int_equal(tunnel_policy_commit(&s.st, LP, LP_OF_10MS, NS(600)), 0);
	assert_int_equal(s.st.ch[LP].last_change_ns, NS(530));
}

/* A recovered tunnel whose target equals the penalty: nothing to send. */
static void test_recover_to_same(void **state)
{
	struct tunnel_policy_params pp = defaults;
	struct tunnel_policy_input in;
	struct sim s;

	(void)state;
	pp.hysteresis.dwell_s = 0;
	pp.health.recovery_s = 0;
	sim_init(&s, &pp);
	in = targets(100, 65535);
	in.health = TUNNEL_HEALTH_INPUT_DOWN;
	sim_step(&s, &in, 0, NULL, false);
	assert_string_equal(s.d.ch[LP].reason, "down");
	in.health = TUNNEL_HEALTH_INPUT_OK;
	sim_step(&s, &in, 1, NULL, false);
	/* recovery-time 0 and dwell 0: recovers on the first good evaluation. */
	assert_int_equal(s.d.state, TUNNEL_STATE_HEALTHY);
	assert_false(s.d.ch[LP].apply);
	assert_string_equal(s.d.ch[LP].reason, "unchanged");
	assert_false(s.st.ch[LP].recover_pending);
}

static void test_unused_and_forget(void **state)
{
	struct tunnel_policy_input in;
	struct sim s;

	(void)state;
	sim_init(&s, NULL);
	in = targets(150, 20);
	in.use[LP] = false;
	sim_step(&s, &in, 0, NULL, false);
	assert_false(s.d.ch[LP].used);
	assert_false(s.d.ch[LP].apply);
	assert_string_equal(s.d.ch[LP].reason, "unused");
	assert_int_equal(s.d.ch[LP].target, 0);
	assert_false(s.st.ch[LP].has_applied);
	assert_true(s.d.ch[COST].apply);

	/* Taken into use later: a first value. */
	in.use[LP] = true;
	sim_step(&s, &in, 10, NULL, false);
	assert_true(s.d.ch[LP].apply);
	assert_string_equal(s.d.ch[LP].reason, "first value");
	assert_false(s.d.ch[COST].apply);

	/* Forgotten (route-map entry removed): a first value again, at once. */
	tunnel_policy_forget(&s.st, COST);
	assert_false(s.st.ch[COST].has_applied);
	in = targets(150, 10);
	sim_step(&s, &in, 11, NULL, false);
	assert_true(s.d.ch[COST].apply);
	assert_string_equal(s.d.ch[COST].reason, "first value");
	assert_int_equal(s.st.ch[COST].applied, 10);
	tunnel_policy_forget(&s.st, TUNNEL_CHANNEL_MAX);
	tunnel_policy_forget(NULL, LP);
}

static void test_budget(void **state)
{
	struct tunnel_budget b;

	(void)state;
	tunnel_budget_init(&b, 20, NS(1000));
	assert_int_equal(tunnel_budget_tokens(&b, NS(1000)), 20);
	for (int i = 0; i < 20; i++)
		assert_true(tunnel_budget_take(&b, NS(1000)));
	assert_false(tunnel_budget_take(&b, NS(1000)));
	assert_int_equal(tunnel_budget_wait_s(&b, NS(1000)), 3);
	assert_int_equal(tunnel_budget_wait_s(&b, NS(1000) + 1), 3);
	assert_int_equal(tunnel_budget_wait_s(&b, NS(1002)), 1);
	assert_false(tunnel_budget_take(&b, NS(1003) - 1));
	assert_true(tunnel_budget_take(&b, NS(1003)));
	/* Never more than a minute's worth. */
	assert_int_equal(tunnel_budget_tokens(&b, NS(100000)), 20);
	assert_int_equal(tunnel_budget_wait_s(&b, NS(100000)), 0);

	/* 7 a minute: one per 8.57 s. */
	tunnel_budget_init(&b, 7, 0);
	while (tunnel_budget_take(&b, 0))
		;
	assert_int_equal(tunnel_budget_wait_s(&b, 0), 9);
	assert_false(tunnel_budget_take(&b, NS(8)));
	assert_true(tunnel_budget_take(&b, 8571428572ULL));

	/* A smaller rate keeps at most the new size. */
	tunnel_budget_init(&b, 20, 0);
	tunnel_budget_set_rate(&b, 5, NS(1));
	assert_int_equal(tunnel_budget_tokens(&b, NS(1)), 5);
	tunnel_budget_set_rate(&b, 50, NS(1));
	assert_int_equal(tunnel_budget_tokens(&b, NS(1)), 5);
	assert_int_equal(tunnel_budget_tokens(&b, NS(61)), 50);

	/* Rate 0: never a token, no known wait. */
	tunnel_budget_init(&b, 0, 0);
	assert_false(tunnel_budget_take(&b, NS(1000)));
	assert_int_equal(tunnel_budget_wait_s(&b, NS(1000)), 0);

	/* A clock going back does not refill. */
	tunnel_budget_init(&b, 20, NS(500));
	while (tunnel_budget_take(&b, NS(500)))
		;
	assert_false(tunnel_budget_take(&b, NS(10)));
	assert_false(tunnel_budget_take(&b, NS(12)));
	assert_true(tunnel_budget_take(&b, NS(13)));

	/* Huge rate and time: no overflow. */
	tunnel_budget_init(&b, UINT32_MAX, 0);
	assert_int_equal(tunnel_budget_tokens(&b, UINT64_MAX), 1000000);
	assert_true(tunnel_budget_take(&b, UINT64_MAX));

	/* NULL is no budget. */
	assert_true(tunnel_budget_take(NULL, 0));
	assert_int_equal(tunnel_budget_tokens(NULL, 0), UINT32_MAX);
	assert_int_equal(tunnel_budget_wait_s(NULL, 0), 0);
	tunnel_budget_init(NULL, 20, 0);
	tunnel_budget_set_rate(NULL, 20, 0);
}

static void test_bad_arguments(void **state)
{
	struct tunnel_policy_input in = targets(150, 20);
	struct tunnel_policy_decision d;
	struct tunnel_policy_state st, before;

	(void)state;
	tunnel_policy_init(&st);
	tunnel_policy_init(NULL);
	memset(&d, 0xff, sizeof(d));
	assert_int_equal(tunnel_policy_evaluate(NULL, &defaults, &in, 0, NULL, false, &d), -EINVAL);
	assert_int_equal(d.ch[LP].apply, false);
	assert_null(d.ch[LP].reason);
	assert_int_equal(tunnel_policy_evaluate(&st, NULL, &in, 0, NULL, false, &d), -EINVAL);
	assert_int_equal(tunnel_policy_evaluate(&st, &defaults, NULL, 0, NULL, false, &d), -EINVAL);
	assert_int_equal(tunnel_policy_evaluate(&st, &defaults, &in, 0, NULL, false, NULL),
			 -EINVAL);
	in.health = (enum tunnel_health_input)3;
	before = st;
	assert_int_equal(tunnel_policy_evaluate(&st, &defaults, &in, 0, NULL, false, &d), -EINVAL);
	assert_memory_equal(&st, &before, sizeof(st));

	assert_int_equal(tunnel_policy_commit(NULL, LP, 1, 0), -EINVAL);
	assert_int_equal(tunnel_policy_commit(&st, TUNNEL_CHANNEL_MAX, 1, 0), -EINVAL);
	assert_int_equal(tunnel_policy_commit(&st, (enum tunnel_channel)-1, 1, 0), -EINVAL);
}

/* Clocks going back and times near the end of uint64_t only delay changes. */
static void test_extreme_times(void **state)
{
	struct tunnel_policy_params pp = defaults;
	struct tunnel_policy_input in;
	struct sim s;
	uint64_t end = UINT64_MAX - NS(1000);

	(void)state;
	sim_init(&s, NULL);
	in = targets(150, 20);
	sim_step(&s, &in, 100, NULL, false);
	/* Better, but the clock says 50 s: dwell not over. */
	in = targets(200, 10);
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, NS(50), NULL, false, &s.d), 0);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DWELL);
	assert_int_equal(s.d.ch[LP].next_change_in_s, 120);
	/* The candidate has 120 s at 170, but the last change (100) only 70. */
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, NS(170), NULL, false, &s.d), 0);
	assert_int_equal(s.d.ch[LP].held_by, TUNNEL_HELD_DWELL);
	assert_int_equal(s.d.ch[LP].next_change_in_s, 50);
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, NS(220), NULL, false, &s.d), 0);
	assert_true(s.d.ch[LP].apply);

	/* Near the end of the clock. */
	sim_init(&s, NULL);
	in = targets(150, 20);
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, end, NULL, false, &s.d), 0);
	tunnel_policy_commit(&s.st, LP, 150, end);
	in = targets(200, 10);
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, end + NS(500), NULL, false,
						&s.d),
			 0);
	assert_int_equal(s.d.ch[LP].next_change_in_s, 120);
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, end + NS(620), NULL, false,
						&s.d),
			 0);
	assert_true(s.d.ch[LP].apply);

	/* Huge configured times: no overflow, the recovery is 136 years away. */
	pp.hysteresis.dwell_s = UINT32_MAX;
	pp.health.recovery_s = UINT32_MAX;
	sim_init(&s, &pp);
	in = targets(150, 20);
	sim_step(&s, &in, 0, NULL, false);
	in.health = TUNNEL_HEALTH_INPUT_DOWN;
	sim_step(&s, &in, 1, NULL, false);
	in.health = TUNNEL_HEALTH_INPUT_OK;
	sim_step(&s, &in, 2, NULL, false);
	assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
	assert_int_equal(s.d.ch[LP].next_change_in_s, UINT32_MAX);
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, NS(4294967295ULL), NULL, false,
						&s.d),
			 0);
	assert_int_equal(s.d.state, TUNNEL_STATE_DEGRADED);
	assert_int_equal(s.d.ch[LP].next_change_in_s, 2);
	assert_int_equal(tunnel_policy_evaluate(&s.st, &s.pp, &in, UINT64_MAX, NULL, false, &s.d),
			 0);
	assert_int_equal(s.d.state, TUNNEL_STATE_HEALTHY);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(tunnel_health_state_name(TUNNEL_STATE_HEALTHY), "healthy");
	assert_string_equal(tunnel_health_state_name(TUNNEL_STATE_DEGRADED), "degraded");
	assert_string_equal(tunnel_health_state_name(TUNNEL_STATE_DOWN), "down");
	assert_string_equal(tunnel_health_state_name((enum tunnel_health_state)9), "?");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_NONE), "none");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_DEADBAND), "deadband");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_DWELL), "dwell");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_HOLDDOWN), "holddown");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_BUDGET), "budget");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_DRY_RUN), "dry-run");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_RECOVERY), "recovery");
	assert_string_equal(tunnel_held_by_name(TUNNEL_HELD_SETTLE), "settle");
	assert_string_equal(tunnel_held_by_name((enum tunnel_held_by)99), "?");
	assert_string_equal(tunnel_channel_name(LP), "local-preference");
	assert_string_equal(tunnel_channel_name(COST), "ospf-cost");
	assert_string_equal(tunnel_channel_name(TUNNEL_CHANNEL_MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inputs_map),
		cmocka_unit_test(test_health_gate),
		cmocka_unit_test(test_first_value),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_settle),
		cmocka_unit_test(test_better_is_slow),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_step_loss),
		cmocka_unit_test(test_step_fast),
		cmocka_unit_test(test_ramp),
		cmocka_unit_test(test_square_wave),
		cmocka_unit_test(test_square_wave_smoothed),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_redegrade_during_recovery),
		cmocka_unit_test(test_flap_damping),
		cmocka_unit_test(test_budget_30_tunnels),
		cmocka_unit_test(test_budget_emergency),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_b151_c149),
		cmocka_unit_test(test_apply_failure),
		cmocka_unit_test(test_recover_to_same),
		cmocka_unit_test(test_unused_and_forget),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_extreme_times),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("tunnel_policy", tests, NULL, NULL);
}
