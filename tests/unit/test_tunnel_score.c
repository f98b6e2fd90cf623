// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_score.c: score, local-preference and OSPF cost arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <cmocka.h>

#include "tunnel_score.h"

/* frr-tunneld.yang's profile defaults (seed 004's figures, seed 003's cost). */
static const struct tunnel_score_profile defaults = {
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

static struct tunnel_metrics metrics(double rtt, double jitter, double loss, double bps)
{
	return (struct tunnel_metrics){
		.rtt_ms = rtt, .jitter_ms = jitter, .loss = loss, .bandwidth_bps = bps
	};
}

static double score(const struct tunnel_metrics *m)
{
	struct tunnel_score s;

	assert_true(tunnel_score_compute(&defaults.score, m, &s));
	assert_true(s.valid);
	return s.total;
}

static uint32_t lp(double s)
{
	return tunnel_lp_from_score(&defaults.lp, s);
}

static uint16_t latency_cost(double rtt, uint16_t step)
{
	struct tunnel_cost_params p = defaults.cost;
	struct tunnel_metrics m = metrics(rtt, 0, 0, 200e6);

	p.step = step;
	return tunnel_cost_compute(&p, &m, NAN, 0);
}

/* Seed 004: r = 20 ms, q = 2 ms, p = 1 %, b = B_ref: S = 45 - 14 - 1 - 3 = 27, LP 154. */
static void test_seed_example(void **state)
{
	struct tunnel_metrics m = metrics(20, 2, 0.01, 200e6);
	struct tunnel_score s;

	(void)state;
	assert_true(tunnel_score_compute(&defaults.score, &m, &s));
	assert_true(s.valid);
	assert_double_equal(s.bandwidth, 45.0, 1e-12);
	assert_double_equal(s.rtt, -14.0, 1e-12);
	assert_double_equal(s.jitter, -1.0, 1e-12);
	assert_double_equal(s.loss, -3.0, 1e-12);
	assert_double_equal(s.total, 27.0, 1e-12);
	assert_int_equal(lp(s.total), 154);
}

static void test_more_scores(void **state)
{
	struct tunnel_metrics m;

	(void)state;
	/* 10 ms, 1 ms jitter, clean: 45 - 7 - 0.5 = 37.5 -> 100 + 75. */
	m = metrics(10, 1, 0, 200e6);
	assert_double_equal(score(&m), 37.5, 1e-12);
	assert_int_equal(lp(score(&m)), 175);

	/* Half of B_ref counts half: 22.5 - 35 = -12.5 -> base. */
	m = metrics(50, 0, 0, 100e6);
	assert_double_equal(score(&m), -12.5, 1e-12);
	assert_int_equal(lp(score(&m)), 100);

	/* More than B_ref counts as B_ref: a perfect tunnel scores w_b = 45 -> 190. */
	m = metrics(0, 0, 0, 10e9);
	assert_double_equal(score(&m), 45.0, 1e-12);
	assert_int_equal(lp(score(&m)), 190);

	/* 10 % loss at 1 Gbit/s loses to a clean 100 Mbit/s (seed 004's point). */
	m = metrics(20, 2, 0.1, 1e9);
	assert_double_equal(score(&m), 45 - 14 - 1 - 30, 1e-12);
	m = metrics(20, 2, 0, 100e6);
	assert_double_equal(score(&m), 22.5 - 14 - 1, 1e-12);
	assert_int_equal(lp(7.5), 115);

	/* No bandwidth at all: only penalties. */
	m = metrics(25, 0, 0, 0);
	assert_double_equal(score(&m), -17.5, 1e-12);

	/* Loss above 1 (rounding in a smoother) counts as 1. */
	m = metrics(0, 0, 2.0, 200e6);
	assert_double_equal(score(&m), 45.0 - 300.0, 1e-12);
}

static void test_lp_mapping(void **state)
{
	struct tunnel_lp_params p = defaults.lp;

	(void)state;
	assert_int_equal(lp(-72.5), 100);
	assert_int_equal(lp(0), 100);
	assert_int_equal(lp(0.49), 100);
	assert_int_equal(lp(0.5), 101);
	assert_int_equal(lp(26.99), 153);
	assert_int_equal(lp(50), 200);
	assert_int_equal(lp(1e300), 200);

	/* A profile that can score past Smax: clamped to 200. */
	{
		struct tunnel_score_params sp = defaults.score;
		struct tunnel_metrics m = metrics(0, 0, 0, 200e6);
		struct tunnel_score s;

		sp.w_bandwidth = 100;
		assert_true(tunnel_score_compute(&sp, &m, &s));
		assert_int_equal(lp(s.total), 200);
	}

	/* 0.57 * 100 is 56.99999999999999 in binary; the floor forgives that. */
	p.scale = 0.57;
	p.max_score = 100;
	assert_int_equal(tunnel_lp_from_score(&p, 100), 157);
	assert_int_equal(tunnel_lp_from_score(&p, 99.9), 156);

	/* Saturates instead of wrapping. */
	p = defaults.lp;
	p.base = UINT32_MAX - 5;
	assert_int_equal(tunnel_lp_from_score(&p, 50), UINT32_MAX);
	assert_int_equal(tunnel_lp_from_score(&p, 2), UINT32_MAX - 1);
	p.base = 4000000000U;
	p.scale = 1000;
	p.max_score = 10000;
	assert_int_equal(tunnel_lp_from_score(&p, 10000), 4010000000U);

	/* Worst on nonsense. */
	p = defaults.lp;
	assert_int_equal(tunnel_lp_from_score(&p, NAN), 100);
	assert_int_equal(tunnel_lp_from_score(&p, INFINITY), 100);
	assert_int_equal(tunnel_lp_from_score(&p, -INFINITY), 100);
	p.scale = NAN;
	assert_int_equal(tunnel_lp_from_score(&p, 20), 100);
	p.scale = -2;
	assert_int_equal(tunnel_lp_from_score(&p, 20), 100);
	p = defaults.lp;
	p.max_score = 0;
	assert_int_equal(tunnel_lp_from_score(&p, 20), 100);
	p.max_score = INFINITY;
	assert_int_equal(tunnel_lp_from_score(&p, 20), 100);
	assert_int_equal(tunnel_lp_from_score(NULL, 20), 0);

	assert_int_equal(tunnel_lp_neutral(&defaults.lp), 100);
	assert_int_equal(tunnel_lp_neutral(NULL), 0);
}

static void test_invalid_score(void **state)
{
	struct tunnel_score_params p = defaults.score;
	struct tunnel_metrics m;
	struct tunnel_score s;
	const double bad[] = { NAN, INFINITY, -INFINITY, -1.0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = metrics(bad[i], 0, 0, 200e6);
		assert_false(tunnel_score_compute(&p, &m, &s));
		assert_false(s.valid);
		assert_true(isnan(s.total));
		assert_int_equal(lp(s.total), 100);
		m = metrics(10, bad[i], 0, 200e6);
		assert_false(tunnel_score_compute(&p, &m, &s));
		m = metrics(10, 0, bad[i], 200e6);
		assert_false(tunnel_score_compute(&p, &m, &s));
		m = metrics(10, 0, 0, bad[i]);
		assert_false(tunnel_score_compute(&p, &m, &s));
		assert_true(s.bandwidth == 0 && s.rtt == 0 && s.jitter == 0 && s.loss == 0);
	}

	m = metrics(10, 0, 0, 200e6);
	p.ref_rtt_ms = 0;
	assert_false(tunnel_score_compute(&p, &m, &s));
	p = defaults.score;
	p.ref_bandwidth_kbps = 0;
	assert_false(tunnel_score_compute(&p, &m, &s));
	p = defaults.score;
	p.ref_jitter_ms = 0;
	assert_false(tunnel_score_compute(&p, &m, &s));
	p = defaults.score;
	p.w_loss = NAN;
	assert_false(tunnel_score_compute(&p, &m, &s));
	/* Finite but overflowing: -inf is not a score. */
	p = defaults.score;
	p.w_rtt = 1e308;
	m = metrics(1e300, 0, 0, 200e6);
	assert_false(tunnel_score_compute(&p, &m, &s));
	assert_true(isnan(s.total));

	assert_false(tunnel_score_compute(NULL, &m, &s));
	assert_true(isnan(s.total));
	assert_false(tunnel_score_compute(&defaults.score, NULL, &s));
	assert_false(tunnel_score_compute(&defaults.score, &m, NULL));
}

/* Seed 003: cost = half the ping in ms; 20 ms -> 10. */
static void test_latency_cost(void **state)
{
	struct tunnel_cost_params p = defaults.cost;
	struct tunnel_metrics m;

	(void)state;
	assert_int_equal(latency_cost(20, 1), 10);
	assert_int_equal(latency_cost(1, 1), 1);
	assert_int_equal(latency_cost(0, 1), 1);
	assert_int_equal(latency_cost(0.4, 1), 1);
	/* Round half up: 10.5 -> 11, 10.4 -> 10. */
	assert_int_equal(latency_cost(21, 1), 11);
	assert_int_equal(latency_cost(20.8, 1), 10);
	assert_int_equal(latency_cost(300, 1), 150);
	/* Clamped to the maximum, never wrapped. */
	assert_int_equal(latency_cost(131066, 1), 65533);
	assert_int_equal(latency_cost(131067, 1), 65534);
	assert_int_equal(latency_cost(1e12, 1), 65534);
	assert_int_equal(latency_cost(1e308, 1), 65534);
	/* Nonsense is the worst healthy cost. */
	assert_int_equal(latency_cost(NAN, 1), 65534);
	assert_int_equal(latency_cost(INFINITY, 1), 65534);
	assert_int_equal(latency_cost(-5, 1), 65534);
	assert_int_equal(tunnel_cost_compute(&p, NULL, 0, 50), 65534);
	assert_int_equal(tunnel_cost_compute(NULL, NULL, 0, 50), 65535);

	/* Bounds. */
	p.minimum = 20;
	p.maximum = 100;
	m = metrics(20, 0, 0, 0);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 20);
	m = metrics(500, 0, 0, 0);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 100);
}

static void test_quantise(void **state)
{
	struct tunnel_cost_params p = defaults.cost;

	(void)state;
	p.step = 5;
	assert_int_equal(tunnel_cost_quantise(&p, 12), 10);
	assert_int_equal(tunnel_cost_quantise(&p, 13), 15);
	assert_int_equal(tunnel_cost_quantise(&p, 12.5), 15); /* ties up */
	assert_int_equal(tunnel_cost_quantise(&p, 12.49), 10);
	assert_int_equal(tunnel_cost_quantise(&p, 2), 5);     /* at least step */
	assert_int_equal(tunnel_cost_quantise(&p, 0), 5);
	assert_int_equal(tunnel_cost_quantise(&p, -3), 5);
	/* 65535 is a multiple of 5 above the maximum 65534: clamped after quantising. */
	assert_int_equal(tunnel_cost_quantise(&p, 65533), 65534);
	assert_int_equal(tunnel_cost_quantise(&p, 65532), 65530);
	assert_int_equal(tunnel_cost_quantise(&p, NAN), 65534);
	assert_int_equal(tunnel_cost_quantise(&p, -INFINITY), 65534);

	/* Quantising the real value, not a rounded one: 5.6 / 4 -> 4 (via 6 it would be 8). */
	p.step = 4;
	assert_int_equal(tunnel_cost_quantise(&p, 5.6), 4);
	assert_int_equal(tunnel_cost_quantise(&p, 6.0), 8);

	/* Nonsense bounds and step. */
	p.step = 0;
	p.minimum = 0;
	assert_int_equal(tunnel_cost_quantise(&p, 0.2), 1);
	assert_int_equal(tunnel_cost_quantise(&p, 7.5), 8);
	p.minimum = 50;
	p.maximum = 10;
	assert_int_equal(tunnel_cost_quantise(&p, 7), 50);
	assert_int_equal(tunnel_cost_quantise(&p, 70), 50);
	p.minimum = 1;
	p.maximum = 65535;
	assert_int_equal(tunnel_cost_quantise(&p, 1e9), 65535);
	assert_int_equal(tunnel_cost_quantise(NULL, 10), 65535);
}

/* Seed 001's ECMP: tunnels of nearly equal RTT get equal costs with a step. */
static void test_ecmp(void **state)
{
	(void)state;
	assert_int_equal(latency_cost(21, 5), 10);
	assert_int_equal(latency_cost(23, 5), 10);
	assert_int_equal(latency_cost(21, 5), latency_cost(23, 5));
	/* Without a step they differ. */
	assert_int_equal(latency_cost(21, 1), 11);
	assert_int_equal(latency_cost(23, 1), 12);
	/* 25 ms is half-way (12.5): up to the next step. */
	assert_int_equal(latency_cost(25, 5), 15);
}

static void test_composite_cost(void **state)
{
	struct tunnel_cost_params p = defaults.cost;
	struct tunnel_metrics m;

	(void)state;
	p.mode = TUNNEL_COST_FORMULA_COMPOSITE;
	/* 0.5 * 20 + 10000 / 200 + 1000 * 0.01 = 10 + 50 + 10. */
	m = metrics(20, 2, 0.01, 200e6);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 70);
	/* 1 Mbit/s: 10 + 10000 + 10. */
	m = metrics(20, 2, 0.01, 1e6);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 10020);
	/* No traffic: b floored at 1 kbit/s, 1e7, clamped. */
	m = metrics(20, 2, 0.01, 0);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 65534);
	/* gamma 0: b does not matter, not even 0. */
	p.gamma = 0;
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 20);
	/* Jitter is not part of it; NaN jitter is fine, NaN loss is not. */
	m = metrics(20, NAN, 0.01, 200e6);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 20);
	m = metrics(20, 0, NAN, 200e6);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 65534);
	m = metrics(20, 0, 0, INFINITY);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 65534);
	p.beta = NAN;
	m = metrics(20, 0, 0, 200e6);
	assert_int_equal(tunnel_cost_compute(&p, &m, NAN, 0), 65534);
}

static void test_score_cost(void **state)
{
	struct tunnel_cost_params p = defaults.cost;

	(void)state;
	p.mode = TUNNEL_COST_FORMULA_SCORE;
	/* 1 + 65533 * (50 - 27) / 50 = 30146.18. */
	assert_int_equal(tunnel_cost_compute(&p, NULL, 27, 50), 30146);
	assert_int_equal(tunnel_cost_compute(&p, NULL, 50, 50), 1);
	assert_int_equal(tunnel_cost_compute(&p, NULL, 80, 50), 1);
	assert_int_equal(tunnel_cost_compute(&p, NULL, 0, 50), 65534);
	assert_int_equal(tunnel_cost_compute(&p, NULL, -5, 50), 65534);
	assert_int_equal(tunnel_cost_compute(&p, NULL, NAN, 50), 65534);
	assert_int_equal(tunnel_cost_compute(&p, NULL, INFINITY, 50), 65534);
	/* Smax 0 (or nonsense): minimum. */
	assert_int_equal(tunnel_cost_compute(&p, NULL, 27, 0), 1);
	assert_int_equal(tunnel_cost_compute(&p, NULL, 27, NAN), 1);

	p.minimum = 10;
	p.maximum = 110;
	assert_int_equal(tunnel_cost_compute(&p, NULL, 25, 50), 60);
	assert_int_equal(tunnel_cost_compute(&p, NULL, 27, 50), 56);
	p.step = 20;
	assert_int_equal(tunnel_cost_compute(&p, NULL, 27, 50), 60);
	assert_int_equal(tunnel_cost_compute(&p, NULL, 50, 50), 20); /* at least step */

	/* An out-of-range mode is worst. */
	p.mode = (enum tunnel_cost_formula)7;
	assert_int_equal(tunnel_cost_compute(&p, NULL, 27, 50), 110);
}

static void test_evaluate_and_neutral(void **state)
{
	struct tunnel_metrics m = metrics(20, 2, 0.01, 200e6);
	struct tunnel_score_profile p = defaults;
	struct tunnel_score_result r;

	(void)state;
	tunnel_score_evaluate(&p, &m, &r);
	assert_true(r.score.valid);
	assert_double_equal(r.score.total, 27.0, 1e-12);
	assert_int_equal(r.lp, 154);
	assert_int_equal(r.cost, 10);

	p.cost.mode = TUNNEL_COST_FORMULA_SCORE;
	tunnel_score_evaluate(&p, &m, &r);
	assert_int_equal(r.cost, 30146);

	/* Invalid metrics: base LP, maximum cost. */
	m.rtt_ms = NAN;
	tunnel_score_evaluate(&p, &m, &r);
	assert_false(r.score.valid);
	assert_int_equal(r.lp, 100);
	assert_int_equal(r.cost, 65534);
	/* Latency cost needs only the RTT: a bad jitter spoils the LP, not the cost. */
	p.cost.mode = TUNNEL_COST_FORMULA_LATENCY;
	m = metrics(20, NAN, 0, 200e6);
	tunnel_score_evaluate(&p, &m, &r);
	assert_int_equal(r.lp, 100);
	assert_int_equal(r.cost, 10);

	tunnel_score_evaluate(NULL, &m, &r);
	assert_false(r.score.valid);
	assert_int_equal(r.lp, 0);
	assert_int_equal(r.cost, 65535);
	tunnel_score_evaluate(&p, NULL, &r);
	assert_false(r.score.valid);
	assert_int_equal(r.lp, 100);
	assert_int_equal(r.cost, 65534);
	tunnel_score_evaluate(&p, &m, NULL);

	assert_int_equal(tunnel_cost_neutral(&defaults.cost), 65534);
	assert_int_equal(tunnel_cost_neutral(NULL), 65535);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_example),
		cmocka_unit_test(test_more_scores),
		cmocka_unit_test(test_lp_mapping),
		cmocka_unit_test(test_invalid_score),
		cmocka_unit_test(test_latency_cost),
		cmocka_unit_test(test_quantise),
		cmocka_unit_test(test_ecmp),
		cmocka_unit_test(test_composite_cost),
		cmocka_unit_test(test_score_cost),
		cmocka_unit_test(test_evaluate_and_neutral),
	};

	return cmocka_run_group_tests_name("tunnel_score", tests, NULL, NULL);
}
