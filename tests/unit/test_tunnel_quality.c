// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_quality.c: probe matching, smoothing, loss, rate. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tunnel_quality.h"

#define MS 1000000ULL
#define SEC 1000000000ULL
#define EPS 1e-9

/* Test storage: big enough for every test but the 6000-probe one. */
struct tq {
	struct tunnel_quality q;
	struct tunnel_sample ring[64];
	struct tunnel_probe pending[64];
};

static void tq_init(struct tq *t, double alpha, uint16_t window, uint64_t timeout_ns,
		    uint32_t first_seq, uint32_t pending_size)
{
	struct tunnel_quality_params p = {
		.alpha = alpha,
		.window = window,
		.timeout_ns = timeout_ns,
		.first_seq = first_seq,
	};

	assert_int_equal(tunnel_quality_init(&t->q, t->ring, 64, t->pending, pending_size, &p), 0);
}

/* Send a probe at `at` and answer it rtt later; the reply must be a SAMPLE. */
static uint32_t probe(struct tunnel_quality *q, uint64_t at, uint64_t rtt)
{
	uint32_t seq = tunnel_quality_next_seq(q, at);

	assert_int_equal(tunnel_quality_reply(q, seq, at + rtt, NULL), TUNNEL_REPLY_SAMPLE);
	return seq;
}

static struct tunnel_metric metric(const struct tunnel_quality *q, enum tunnel_metric_id id)
{
	struct tunnel_metric m;

	tunnel_quality_metric(q, id, &m);
	return m;
}

static void test_ewma(void **state)
{
	(void)state;
	/* 10 + 0.25 * (20 - 10) = 12.5; 12.5 + 0.25 * 7.5 = 14.375 */
	assert_double_equal(tunnel_ewma(10, 20, 0.25), 12.5, EPS);
	assert_double_equal(tunnel_ewma(12.5, 20, 0.25), 14.375, EPS);
	/* 10 + 0.1 * (20 - 10) = 11 */
	assert_double_equal(tunnel_ewma(10, 20, 0.1), 11, EPS);
	assert_double_equal(tunnel_ewma(10, 20, 1.0), 20, EPS);
	/* Bad samples are ignored. */
	assert_double_equal(tunnel_ewma(10, NAN, 0.25), 10, EPS);
	assert_double_equal(tunnel_ewma(10, INFINITY, 0.25), 10, EPS);
	assert_double_equal(tunnel_ewma(10, -INFINITY, 0.25), 10, EPS);
	/* Bad alphas too. */
	assert_double_equal(tunnel_ewma(10, 20, 0), 10, EPS);
	assert_double_equal(tunnel_ewma(10, 20, -0.5), 10, EPS);
	assert_double_equal(tunnel_ewma(10, 20, 1.5), 10, EPS);
	assert_double_equal(tunnel_ewma(10, 20, NAN), 10, EPS);
	/* No value yet: the sample. */
	assert_double_equal(tunnel_ewma(NAN, 20, 0.25), 20, EPS);
	assert_true(isnan(tunnel_ewma(NAN, NAN, 0.25)));
}

static void test_params(void **state)
{
	struct tunnel_quality_params p, bad;
	struct tq t;

	(void)state;
	tunnel_quality_params_default(&p);
	assert_double_equal(p.alpha, 0.25, EPS);
	assert_int_equal(p.window, 30);
	assert_int_equal(p.timeout_ns, 2 * SEC);
	assert_int_equal(p.first_seq, 0);

	assert_int_equal(tunnel_quality_init(NULL, t.ring, 64, t.pending, 64, &p), -EINVAL);
	assert_int_equal(tunnel_quality_init(&t.q, NULL, 64, t.pending, 64, &p), -EINVAL);
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, NULL, 64, &p), -EINVAL);
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, NULL), -EINVAL);
	/* The table size is a power of two, 1..65536. */
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 0, &p), -EINVAL);
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 48, &p), -EINVAL);
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 131072, &p), -EINVAL);
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 1, &p), 0);
	/* The ring holds the window. */
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 29, t.pending, 64, &p), -ENOSPC);
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 30, t.pending, 64, &p), 0);

	bad = p;
	bad.alpha = 0;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, &bad), -EINVAL);
	bad.alpha = 1.001;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, &bad), -EINVAL);
	bad.alpha = NAN;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, &bad), -EINVAL);
	bad = p;
	bad.window = 0;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, &bad), -EINVAL);
	bad.window = 3601;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, &bad), -EINVAL);
	bad = p;
	bad.timeout_ns = 0;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, &bad), -EINVAL);
	bad.timeout_ns = UINT64_MAX;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 64, t.pending, 64, &bad), -EINVAL);
	bad = p;
	bad.alpha = 1;
	bad.window = 1;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 1, t.pending, 64, &bad), 0);

	/* NULLs elsewhere do nothing. */
	assert_int_equal(tunnel_quality_next_seq(NULL, 0), 0);
	assert_int_equal(tunnel_quality_expire(NULL, 0), 0);
	assert_int_equal(tunnel_quality_reply(NULL, 0, 0, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_set_params(NULL, &p), -EINVAL);
	assert_int_equal(tunnel_quality_set_params(&t.q, NULL), -EINVAL);
	assert_false(tunnel_quality_metric(NULL, TUNNEL_METRIC_RTT, &(struct tunnel_metric){ 0 }));
	assert_false(tunnel_quality_metric(&t.q, TUNNEL_METRIC_RTT, NULL));
	assert_false(tunnel_quality_metric(&t.q, TUNNEL_METRIC_MAX, &(struct tunnel_metric){ 0 }));
	assert_null(tunnel_quality_counters(NULL));
	assert_null(tunnel_quality_history(NULL, 0));
	assert_int_equal(tunnel_quality_history_count(NULL), 0);
	assert_int_equal(tunnel_quality_outstanding(NULL), 0);
	assert_int_equal(tunnel_quality_consecutive_lost(NULL), 0);
	tunnel_quality_reset(NULL, 0);
	tunnel_quality_params_default(NULL);

	assert_string_equal(tunnel_quality_verdict_name(TUNNEL_REPLY_SAMPLE), "sample");
	assert_string_equal(tunnel_quality_verdict_name(TUNNEL_REPLY_REORDERED), "reordered");
	assert_string_equal(tunnel_quality_verdict_name(TUNNEL_REPLY_DUPLICATE), "duplicate");
	assert_string_equal(tunnel_quality_verdict_name(TUNNEL_REPLY_LATE), "late");
	assert_string_equal(tunnel_quality_verdict_name(TUNNEL_REPLY_UNKNOWN), "unknown");
	assert_string_equal(tunnel_quality_verdict_name(TUNNEL_REPLY_BOGUS), "bogus");
	assert_string_equal(tunnel_quality_verdict_name((enum tunnel_quality_verdict)99), "?");
}

static void test_pending_size(void **state)
{
	(void)state;
	/* The defaults, 1 s / 2 s: 2 * 2 + 1 = 5 -> 8. */
	assert_int_equal(tunnel_quality_pending_size(1000 * MS, 2000 * MS), 8);
	/* 100 ms / 2 s: 2 * 20 + 1 = 41 -> 64. */
	assert_int_equal(tunnel_quality_pending_size(100 * MS, 2000 * MS), 64);
	/* 10 ms / 25 ms: ceil 3, 7 -> 8. */
	assert_int_equal(tunnel_quality_pending_size(10 * MS, 25 * MS), 8);
	/* 10 ms / 60 s: 2 * 6000 + 1 = 12001 -> 16384. */
	assert_int_equal(tunnel_quality_pending_size(10 * MS, 60 * SEC), 16384);
	/* A timeout shorter than the interval: the minimum. */
	assert_int_equal(tunnel_quality_pending_size(60 * SEC, 10 * MS), TUNNEL_QUALITY_PENDING_MIN);
	assert_int_equal(tunnel_quality_pending_size(1, UINT64_MAX), TUNNEL_QUALITY_PENDING_MAX);
	assert_int_equal(tunnel_quality_pending_size(0, SEC), TUNNEL_QUALITY_PENDING_MAX);
	assert_int_equal(tunnel_quality_pending_size(SEC, 0), TUNNEL_QUALITY_PENDING_MIN);
}

/* Four replies in order, RTT 10, 12, 11, 15 ms, alpha 0.25. */
static void test_in_order(void **state)
{
	static const uint64_t rtts[] = { 10 * MS, 12 * MS, 11 * MS, 15 * MS };
	const struct tunnel_quality_counters *c;
	const struct tunnel_sample *s;
	struct tunnel_metric m;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 100, 8);
	assert_false(tunnel_quality_metric(&t.q, TUNNEL_METRIC_RTT, &m));
	assert_false(m.valid);
	assert_false(tunnel_quality_metric(&t.q, TUNNEL_METRIC_LOSS, &m));

	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(probe(&t.q, i * SEC, rtts[i]), 100 + i);

	/*
	 * RTT (ms): first 10, deviation 10/2 = 5.
	 * 12: |12 - 10| = 2 <= max(4 * 5, 1): 10 + 0.25 * 2 = 10.5; dev 0.75 * 5 + 0.25 * 2 = 4.25
	 * 11: 0.5 <= 17: 10.5 + 0.125 = 10.625; dev 0.75 * 4.25 + 0.25 * 0.5 = 3.3125
	 * 15: 4.375 <= 13.25: 10.625 + 0.25 * 4.375 = 11.71875
	 */
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_true(m.valid);
	assert_double_equal(m.last, 15, EPS);
	assert_double_equal(m.smoothed, 11.71875, EPS);
	assert_double_equal(m.min, 10, EPS);
	assert_double_equal(m.max, 15, EPS);
	assert_int_equal(m.samples, 4);

	/*
	 * Jitter: |12-10| = 2, |11-12| = 1, |15-11| = 4.
	 * first 2, dev 1; 1: 2 - 0.25 = 1.75, dev 0.75 + 0.25 = 1;
	 * 4: 2.25 <= max(4 * 1, 1): 1.75 + 0.25 * 2.25 = 2.3125
	 */
	m = metric(&t.q, TUNNEL_METRIC_JITTER);
	assert_true(m.valid);
	assert_double_equal(m.last, 4, EPS);
	assert_double_equal(m.smoothed, 2.3125, EPS);
	assert_double_equal(m.min, 1, EPS);
	assert_double_equal(m.max, 4, EPS);
	assert_int_equal(m.samples, 3);

	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_true(m.valid);
	assert_double_equal(m.last, 0, EPS);
	assert_double_equal(m.smoothed, 0, EPS);
	assert_int_equal(m.samples, 4);

	/* No one-way delays were given. */
	assert_false(tunnel_quality_metric(&t.q, TUNNEL_METRIC_FWD, &m));
	assert_false(tunnel_quality_metric(&t.q, TUNNEL_METRIC_BACK, &m));

	c = tunnel_quality_counters(&t.q);
	assert_int_equal(c->sent, 4);
	assert_int_equal(c->received, 4);
	assert_int_equal(c->lost + c->reordered + c->duplicates + c->late + c->unknown + c->bogus,
			 0);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 0);

	assert_int_equal(tunnel_quality_history_count(&t.q), 4);
	s = tunnel_quality_history(&t.q, 0);
	assert_int_equal(s->seq, 100);
	assert_int_equal(s->sent_ns, 0);
	assert_int_equal(s->rtt_ns, 10 * MS);
	assert_int_equal(s->ipdv_ns, -1);
	assert_true(s->fwd_ns == TUNNEL_SAMPLE_NO_DELAY);
	assert_int_equal(s->flags, 0);
	s = tunnel_quality_history(&t.q, 3);
	assert_int_equal(s->seq, 103);
	assert_int_equal(s->sent_ns, 3 * SEC);
	assert_int_equal(s->ipdv_ns, 4 * MS);
	assert_null(tunnel_quality_history(&t.q, 4));
}

static void test_loss_by_expiry(void **state)
{
	const struct tunnel_sample *s;
	struct tunnel_metric m;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	probe(&t.q, 0, 10 * MS);				/* seq 0 */
	assert_int_equal(tunnel_quality_next_seq(&t.q, 1 * SEC), 1);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 2 * SEC), 2);
	/* At 3 s seq 1 is exactly 2 s old: not lost yet. */
	assert_int_equal(tunnel_quality_next_seq(&t.q, 3 * SEC), 3);
	assert_int_equal(tunnel_quality_counters(&t.q)->lost, 0);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 3);

	/* At 3.5 s seq 1 is 2.5 s old, seq 2 1.5 s. */
	assert_int_equal(tunnel_quality_expire(&t.q, 3500 * MS), 1);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 1);
	assert_int_equal(tunnel_quality_expire(&t.q, 4 * SEC), 0);
	assert_int_equal(tunnel_quality_expire(&t.q, 4 * SEC + 1), 1);
	assert_int_equal(tunnel_quality_expire(&t.q, 4 * SEC + 2), 0);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 2);
	assert_int_equal(tunnel_quality_counters(&t.q)->lost, 2);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 1);

	assert_int_equal(tunnel_quality_history_count(&t.q), 3);
	s = tunnel_quality_history(&t.q, 1);
	assert_int_equal(s->seq, 1);
	assert_int_equal(s->sent_ns, 1 * SEC);
	assert_int_equal(s->rtt_ns, -1);
	assert_int_equal(s->ipdv_ns, -1);
	assert_int_equal(s->flags, TUNNEL_SAMPLE_LOST);
	assert_int_equal(tunnel_quality_history(&t.q, 2)->seq, 2);

	/* 2 of 3 lost; the window is not full, so smoothed = last. */
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 200.0 / 3, EPS);
	assert_double_equal(m.smoothed, 200.0 / 3, EPS);
	assert_double_equal(m.min, 200.0 / 3, EPS);
	assert_double_equal(m.max, 200.0 / 3, EPS);
	assert_int_equal(m.samples, 3);

	/* seq 3 answered 1.5 s after it was sent: a sample, the run of losses ends. */
	assert_int_equal(tunnel_quality_reply(&t.q, 3, 4500 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 0);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_LOSS).last, 50, EPS);
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.last, 1500, EPS);
	assert_double_equal(m.min, 10, EPS);
	assert_double_equal(m.max, 1500, EPS);
	assert_int_equal(m.samples, 2);
	/* Jitter pairs consecutive replies, skipping the lost: |1500 - 10|. */
	m = metric(&t.q, TUNNEL_METRIC_JITTER);
	assert_double_equal(m.last, 1490, EPS);
	assert_int_equal(m.samples, 1);
}

static void test_late(void **state)
{
	const struct tunnel_quality_counters *c;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	c = tunnel_quality_counters(&t.q);

	assert_int_equal(tunnel_quality_next_seq(&t.q, 0), 0);
	assert_int_equal(tunnel_quality_expire(&t.q, 2500 * MS), 1);
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 2600 * MS, NULL), TUNNEL_REPLY_LATE);
	assert_int_equal(c->late, 1);
	assert_int_equal(c->lost, 1);
	assert_int_equal(c->received, 0);
	/* A late reply does not end the run of losses nor make a sample. */
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 1);
	assert_int_equal(tunnel_quality_history_count(&t.q), 1);
	assert_false(tunnel_quality_metric(&t.q, TUNNEL_METRIC_RTT, &(struct tunnel_metric){ 0 }));
	/* Late twice is late twice. */
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 2700 * MS, NULL), TUNNEL_REPLY_LATE);
	assert_int_equal(c->late, 2);

	/* Overdue at the reply although nobody called expire: still late. */
	assert_int_equal(tunnel_quality_next_seq(&t.q, 3 * SEC), 1);
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 5 * SEC + 1, NULL), TUNNEL_REPLY_LATE);
	assert_int_equal(c->lost, 2);
	assert_int_equal(c->late, 3);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 2);

	/* Exactly at the timeout is in time. */
	assert_int_equal(tunnel_quality_next_seq(&t.q, 6 * SEC), 2);
	assert_int_equal(tunnel_quality_reply(&t.q, 2, 8 * SEC, NULL), TUNNEL_REPLY_SAMPLE);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).last, 2000, EPS);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 0);
	assert_int_equal(c->sent, 3);
	assert_int_equal(c->received, 1);
}

static void test_duplicate(void **state)
{
	const struct tunnel_quality_counters *c;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 7, 8);
	c = tunnel_quality_counters(&t.q);
	probe(&t.q, 0, 10 * MS);
	assert_int_equal(tunnel_quality_reply(&t.q, 7, 11 * MS, NULL), TUNNEL_REPLY_DUPLICATE);
	/* Still a duplicate long after, once the expiry cursor has passed it. */
	probe(&t.q, 1 * SEC, 10 * MS);
	assert_int_equal(tunnel_quality_expire(&t.q, 10 * SEC), 0);
	assert_int_equal(tunnel_quality_reply(&t.q, 7, 10 * SEC, NULL), TUNNEL_REPLY_DUPLICATE);
	assert_int_equal(tunnel_quality_reply(&t.q, 8, 10 * SEC, NULL), TUNNEL_REPLY_DUPLICATE);
	assert_int_equal(c->duplicates, 3);
	assert_int_equal(c->received, 2);
	assert_int_equal(tunnel_quality_history_count(&t.q), 2);
	/* The duplicates changed no value: both RTTs were 10 ms. */
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 10, EPS);
}

/* Probes 1, 2, 3 answered in the order 3, 1, 2. */
static void test_reorder(void **state)
{
	const struct tunnel_quality_counters *c;
	const struct tunnel_sample *s;
	struct tunnel_metric m;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 1, 8);
	c = tunnel_quality_counters(&t.q);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 0), 1);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 10 * MS), 2);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 20 * MS), 3);

	/* RTTs: 3: 50 - 20 = 30 ms; 1: 60 - 0 = 60 ms; 2: 70 - 10 = 60 ms. */
	assert_int_equal(tunnel_quality_reply(&t.q, 3, 50 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 60 * MS, NULL), TUNNEL_REPLY_REORDERED);
	assert_int_equal(tunnel_quality_reply(&t.q, 2, 70 * MS, NULL), TUNNEL_REPLY_REORDERED);
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 80 * MS, NULL), TUNNEL_REPLY_DUPLICATE);
	assert_int_equal(c->received, 3);
	assert_int_equal(c->reordered, 2);
	assert_int_equal(c->duplicates, 1);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 0);

	/* The ring is in arrival order; jitter pairs arrivals: |60-30|, |60-60|. */
	assert_int_equal(tunnel_quality_history_count(&t.q), 3);
	s = tunnel_quality_history(&t.q, 0);
	assert_int_equal(s->seq, 3);
	assert_int_equal(s->flags, 0);
	assert_int_equal(s->rtt_ns, 30 * MS);
	s = tunnel_quality_history(&t.q, 1);
	assert_int_equal(s->seq, 1);
	assert_int_equal(s->flags, TUNNEL_SAMPLE_REORDERED);
	assert_int_equal(s->rtt_ns, 60 * MS);
	assert_int_equal(s->ipdv_ns, 30 * MS);
	s = tunnel_quality_history(&t.q, 2);
	assert_int_equal(s->seq, 2);
	assert_int_equal(s->flags, TUNNEL_SAMPLE_REORDERED);
	assert_int_equal(s->ipdv_ns, 0);
	m = metric(&t.q, TUNNEL_METRIC_JITTER);
	assert_double_equal(m.last, 0, EPS);
	assert_double_equal(m.min, 0, EPS);
	assert_double_equal(m.max, 30, EPS);

	/* The next probe is in order again. */
	assert_int_equal(probe(&t.q, 1 * SEC, 30 * MS), 4);
	assert_int_equal(c->reordered, 2);
}

static void test_unknown(void **state)
{
	const struct tunnel_quality_counters *c;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 1000, 8);
	c = tunnel_quality_counters(&t.q);

	/* Nothing sent yet. */
	assert_int_equal(tunnel_quality_reply(&t.q, 1000, 0, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 0), 1000);
	/* Not sent yet, sent before the first, or anywhere else. */
	assert_int_equal(tunnel_quality_reply(&t.q, 1001, 1 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_reply(&t.q, 999, 1 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_reply(&t.q, 0xdeadbeef, 1 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(c->unknown, 4);
	assert_int_equal(c->received, 0);
	/* The genuine reply still counts. */
	assert_int_equal(tunnel_quality_reply(&t.q, 1000, 5 * MS, NULL), TUNNEL_REPLY_SAMPLE);

	/* Eight probes later its slot is reused: a repeat is stale, not a duplicate. */
	for (uint32_t i = 1; i <= 8; i++)
		assert_int_equal(tunnel_quality_next_seq(&t.q, i * MS), 1000 + i);
	assert_int_equal(tunnel_quality_reply(&t.q, 1000, 10 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(c->unknown, 5);
	assert_int_equal(tunnel_quality_reply(&t.q, 1001, 10 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(c->lost, 0);
}

/* The daemon starts at a random number: wrap from 2^32 - 2 through 0. */
static void test_wrap(void **state)
{
	const struct tunnel_quality_counters *c;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, UINT32_MAX - 1, 8);
	c = tunnel_quality_counters(&t.q);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 0), 0xfffffffeU);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 10 * MS), 0xffffffffU);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 20 * MS), 0);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 30 * MS), 1);

	assert_int_equal(tunnel_quality_reply(&t.q, 0xfffffffeU, 40 * MS, NULL),
			 TUNNEL_REPLY_SAMPLE);
	/* 0 is newer than 0xfffffffe, 0xffffffff is older than 0. */
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 41 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_reply(&t.q, 0xffffffffU, 42 * MS, NULL),
			 TUNNEL_REPLY_REORDERED);
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 43 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 44 * MS, NULL), TUNNEL_REPLY_DUPLICATE);
	assert_int_equal(tunnel_quality_reply(&t.q, 2, 44 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_reply(&t.q, 0xfffffffdU, 44 * MS, NULL),
			 TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(c->received, 4);
	assert_int_equal(c->reordered, 1);
	/* RTTs: 40, 21, 32, 13 ms. */
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).min, 13, EPS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).max, 40, EPS);

	/* Expiry crosses the wrap as well. */
	tq_init(&t, 0.25, 30, 2 * SEC, UINT32_MAX, 8);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 0), UINT32_MAX);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 1 * MS), 0);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 2 * MS), 1);
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 3 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_expire(&t.q, 3 * SEC), 2);
	assert_int_equal(tunnel_quality_history(&t.q, 1)->seq, UINT32_MAX);
	assert_int_equal(tunnel_quality_history(&t.q, 2)->seq, 1);
	assert_int_equal(tunnel_quality_reply(&t.q, UINT32_MAX, 3 * SEC, NULL), TUNNEL_REPLY_LATE);
}

/* 40 probes at a steady 50 ms: deviation 25 ms * 0.75^39, about 335 ns. */
static void steady(struct tunnel_quality *q, uint64_t *clock, unsigned int n, uint64_t rtt)
{
	for (unsigned int i = 0; i < n; i++) {
		probe(q, *clock, rtt);
		*clock += SEC;
	}
}

static void test_outlier(void **state)
{
	struct tunnel_metric m;
	uint64_t clock = 0;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	steady(&t.q, &clock, 40, 50 * MS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 50, EPS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_JITTER).smoothed, 0, EPS);

	/*
	 * One probe 200 ms late.  The bound is max(4 * 335 ns, 1 ms) = 1 ms,
	 * so it enters as 51 ms: 50 + 0.25 * 1 = 50.25 (a plain EWMA: 100).
	 */
	probe(&t.q, clock, 250 * MS);
	clock += SEC;
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.last, 250, EPS);
	assert_double_equal(m.smoothed, 50.25, 1e-6);
	assert_double_equal(m.max, 250, EPS);
	/*
	 * Jitter 200 ms: bound max(4 * 0, 1) = 1 ms, enters as 1 ms: 0.25;
	 * deviation 0.25 ms.
	 */
	m = metric(&t.q, TUNNEL_METRIC_JITTER);
	assert_double_equal(m.last, 200, EPS);
	assert_double_equal(m.smoothed, 0.25, 1e-6);

	/*
	 * Back to 50: RTT 0.25 ms off, inside the bound: 50.25 - 0.0625 = 50.1875.
	 * Jitter 200 again, the second outlier in a row, bound max(4 * 0.25, 1)
	 * = 1 ms: enters as 1.25 ms: 0.25 + 0.25 * 1 = 0.5 (a plain EWMA: 87.5).
	 */
	probe(&t.q, clock, 50 * MS);
	clock += SEC;
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 50.1875, 1e-6);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_JITTER).smoothed, 0.5, 1e-6);
	/*
	 * Jitter 0: 0.5 ms off, inside max(4 * 0.4375, 1): 0.5 - 0.125 = 0.375.
	 */
	probe(&t.q, clock, 50 * MS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_JITTER).smoothed, 0.375, 1e-6);
	assert_true(metric(&t.q, TUNNEL_METRIC_RTT).smoothed < 50.15);
}

static void test_step(void **state)
{
	uint64_t clock = 0;
	struct tq t;
	double v;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	steady(&t.q, &clock, 40, 50 * MS);

	/*
	 * A lasting step to 80 ms.
	 * 1st: clipped at 50 + 1: 50.25; deviation 0.75 * 335 ns + 0.25 * 1 ms = 0.250251 ms
	 * 2nd: bound 4 * 0.250251 = 1.001006 ms: 50.25 + 0.25 * 1.001006 = 50.500251;
	 *      deviation 0.75 * 0.250251 + 0.25 * 1.001006 = 0.437940 ms
	 * 3rd: the third outlier above in a row counts in full:
	 *      50.500251 + 0.25 * 29.499749 = 57.875189; deviation 7.703392 ms
	 */
	probe(&t.q, clock, 80 * MS);
	clock += SEC;
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 50.25, 1e-6);
	probe(&t.q, clock, 80 * MS);
	clock += SEC;
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 50.500251, 1e-6);
	probe(&t.q, clock, 80 * MS);
	clock += SEC;
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 57.875189, 1e-6);
	/*
	 * From then on the deviation covers the step and the EWMA runs at its
	 * normal speed: 80 - 22.124811 * 0.75^(n - 3) after n probes.  Within
	 * 1 % (0.8 ms) after 15 (79.299167; a plain EWMA needs 13).
	 */
	for (unsigned int n = 4; n <= 15; n++) {
		probe(&t.q, clock, 80 * MS);
		clock += SEC;
		v = metric(&t.q, TUNNEL_METRIC_RTT).smoothed;
		assert_double_equal(v, 80 - 22.124811 * pow(0.75, n - 3), 1e-5);
		if (n == 14)
			assert_true(80 - v > 0.8);
	}
	assert_true(80 - v <= 0.8);
	assert_double_equal(v, 79.299167, 1e-6);
}

/* A calm alpha: the outlier moves it even less, the step takes longer. */
static void test_step_calm(void **state)
{
	uint64_t clock = 0;
	struct tq t;
	double v;

	(void)state;
	tq_init(&t, 0.1, 30, 2 * SEC, 0, 8);
	/* Deviation after 40 probes: 25 ms * 0.9^39 = 0.410580 ms; bound 1.642321 ms. */
	steady(&t.q, &clock, 40, 50 * MS);
	probe(&t.q, clock, 250 * MS);
	clock += SEC;
	/* 50 + 0.1 * 1.642321 */
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 50.164232, 1e-6);

	tq_init(&t, 0.1, 30, 2 * SEC, 0, 8);
	clock = 0;
	steady(&t.q, &clock, 40, 50 * MS);
	for (unsigned int n = 1; n <= 37; n++) {
		probe(&t.q, clock, 80 * MS);
		clock += SEC;
		v = metric(&t.q, TUNNEL_METRIC_RTT).smoothed;
		if (n == 36)
			assert_true(80 - v > 0.8);
	}
	/* Within 1 % after 37 probes (a plain EWMA at 0.1 needs 35). */
	assert_true(80 - v <= 0.8);
	assert_double_equal(v, 79.258509, 1e-6);
}

/* Lose probe `seq`-to-be: send it, let it expire before the next one. */
static void lose(struct tunnel_quality *q, uint64_t *clock)
{
	tunnel_quality_next_seq(q, *clock);
	assert_int_equal(tunnel_quality_expire(q, *clock + 2 * SEC + 1), 1);
	*clock += 3 * SEC;
}

static void test_loss_window(void **state)
{
	struct tunnel_metric m;
	uint64_t clock = 0;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	steady(&t.q, &clock, 30, 10 * MS);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 0, EPS);
	assert_double_equal(m.smoothed, 0, EPS);
	assert_int_equal(m.samples, 30);

	/* One lost in 30: last 100 / 30 = 3.333; smoothed 0.25 * 3.333 = 0.833. */
	lose(&t.q, &clock);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 100.0 / 30, EPS);
	assert_double_equal(m.smoothed, 2.5 / 3, EPS);
	assert_double_equal(m.min, 0, EPS);
	assert_double_equal(m.max, 100.0 / 30, EPS);
	assert_int_equal(m.samples, 30);

	/* Still in the window: 0.833 + 0.25 * (3.333 - 0.833) = 1.458333 */
	steady(&t.q, &clock, 1, 10 * MS);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 100.0 / 30, EPS);
	assert_double_equal(m.smoothed, 1.4583333333, 1e-9);

	/* 28 more: the lost probe is the oldest of the window. */
	steady(&t.q, &clock, 28, 10 * MS);
	assert_int_equal(tunnel_quality_history(&t.q, 0)->flags, TUNNEL_SAMPLE_LOST);
	/* After k replies: 3.333 - 2.5 * 0.75^k; k = 29. */
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_LOSS).smoothed,
			    100.0 / 30 - 2.5 * pow(0.75, 29), 1e-9);

	/* The 30th reply pushes it out: last 0, smoothed 0.75 * that. */
	steady(&t.q, &clock, 1, 10 * MS);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 0, EPS);
	assert_double_equal(m.smoothed, 2.5 - 1.875 * pow(0.75, 29), 1e-9);
	assert_double_equal(m.min, 0, EPS);
	assert_double_equal(m.max, 100.0 / 30, EPS);

	/* Three in a row: 10 %. */
	lose(&t.q, &clock);
	lose(&t.q, &clock);
	lose(&t.q, &clock);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 3);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 10, EPS);
	assert_double_equal(m.max, 10, EPS);
}

/* A window of 4 filling up: smoothed follows last until it is full. */
static void test_loss_filling(void **state)
{
	struct tunnel_metric m;
	uint64_t clock = 0;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 4, 2 * SEC, 0, 8);
	lose(&t.q, &clock);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_true(m.valid);
	assert_double_equal(m.last, 100, EPS);
	assert_double_equal(m.smoothed, 100, EPS);
	assert_double_equal(m.min, 100, EPS);
	assert_double_equal(m.max, 100, EPS);
	assert_int_equal(m.samples, 1);
	steady(&t.q, &clock, 1, 10 * MS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_LOSS).smoothed, 50, EPS);
	steady(&t.q, &clock, 1, 10 * MS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_LOSS).smoothed, 100.0 / 3, EPS);
	/* Full: last 25, smoothed 33.333 + 0.25 * (25 - 33.333) = 31.25, range [25, 25]. */
	steady(&t.q, &clock, 1, 10 * MS);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 25, EPS);
	assert_double_equal(m.smoothed, 31.25, EPS);
	assert_double_equal(m.min, 25, EPS);
	assert_double_equal(m.max, 25, EPS);
	/* The lost one leaves: last 0, smoothed 0.75 * 31.25 = 23.4375. */
	steady(&t.q, &clock, 1, 10 * MS);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 0, EPS);
	assert_double_equal(m.smoothed, 23.4375, EPS);
	assert_double_equal(m.min, 0, EPS);
	assert_double_equal(m.max, 25, EPS);
}

static void test_minmax_window(void **state)
{
	struct tunnel_metric m;
	uint64_t clock = 0;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 3, 2 * SEC, 0, 8);
	steady(&t.q, &clock, 1, 10 * MS);
	steady(&t.q, &clock, 1, 50 * MS);
	steady(&t.q, &clock, 1, 20 * MS);
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.min, 10, EPS);
	assert_double_equal(m.max, 50, EPS);
	assert_int_equal(m.samples, 3);

	/* 10 falls out: [50, 20, 30] */
	steady(&t.q, &clock, 1, 30 * MS);
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.min, 20, EPS);
	assert_double_equal(m.max, 50, EPS);
	/* 50 falls out: [20, 30, 40] */
	steady(&t.q, &clock, 1, 40 * MS);
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.last, 40, EPS);
	assert_double_equal(m.min, 20, EPS);
	assert_double_equal(m.max, 40, EPS);
	assert_int_equal(m.samples, 3);
	/* Jitter of those: |20-50| = 30, |30-20| = 10, |40-30| = 10 */
	m = metric(&t.q, TUNNEL_METRIC_JITTER);
	assert_double_equal(m.min, 10, EPS);
	assert_double_equal(m.max, 30, EPS);
	assert_int_equal(m.samples, 3);

	/* A loss takes a place in the window: [30, 40, lost] */
	lose(&t.q, &clock);
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.min, 30, EPS);
	assert_double_equal(m.max, 40, EPS);
	assert_int_equal(m.samples, 2);
	/* All lost: smoothed and last remain, min and max have nothing to go by. */
	lose(&t.q, &clock);
	lose(&t.q, &clock);
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_true(m.valid);
	assert_double_equal(m.last, 40, EPS);
	assert_int_equal(m.samples, 0);
	assert_true(isnan(m.min));
	assert_true(isnan(m.max));
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_LOSS).last, 100, EPS);
}

static void test_oneway(void **state)
{
	struct tunnel_reply_info ri = {
		.reflector_hold_ns = 1 * MS,
		.oneway_valid = true,
		.fwd_ns = 4 * MS,
		.back_ns = 5 * MS,
	};
	const struct tunnel_sample *s;
	struct tunnel_metric m;
	struct tq t;
	uint32_t seq;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	/* 10 ms round trip less 1 ms held by the reflector. */
	seq = tunnel_quality_next_seq(&t.q, 0);
	assert_int_equal(tunnel_quality_reply(&t.q, seq, 10 * MS, &ri), TUNNEL_REPLY_SAMPLE);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).last, 9, EPS);
	m = metric(&t.q, TUNNEL_METRIC_FWD);
	assert_true(m.valid);
	assert_double_equal(m.last, 4, EPS);
	assert_double_equal(m.smoothed, 4, EPS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_BACK).last, 5, EPS);
	s = tunnel_quality_history(&t.q, 0);
	assert_int_equal(s->flags, TUNNEL_SAMPLE_ONEWAY);
	assert_int_equal(s->fwd_ns, 4 * MS);
	assert_int_equal(s->back_ns, 5 * MS);

	/*
	 * A clock offset may make one direction negative.
	 * fwd: first 4, deviation 2; -2 is 6 off, inside 8: 4 - 1.5 = 2.5
	 * back: first 5, deviation 2.5; 11 is 6 off, inside 10: 5 + 1.5 = 6.5
	 */
	ri.fwd_ns = -2 * (int64_t)MS;
	ri.back_ns = 11 * MS;
	seq = tunnel_quality_next_seq(&t.q, 1 * SEC);
	assert_int_equal(tunnel_quality_reply(&t.q, seq, 1 * SEC + 10 * MS, &ri),
			 TUNNEL_REPLY_SAMPLE);
	m = metric(&t.q, TUNNEL_METRIC_FWD);
	assert_double_equal(m.last, -2, EPS);
	assert_double_equal(m.smoothed, 2.5, EPS);
	assert_double_equal(m.min, -2, EPS);
	assert_double_equal(m.max, 4, EPS);
	m = metric(&t.q, TUNNEL_METRIC_BACK);
	assert_double_equal(m.last, 11, EPS);
	assert_double_equal(m.smoothed, 6.5, EPS);
	assert_int_equal(m.samples, 2);

	/* Without sync (or with an unknown side) only the RTT is taken. */
	ri.oneway_valid = false;
	ri.fwd_ns = 100 * MS;
	seq = tunnel_quality_next_seq(&t.q, 2 * SEC);
	assert_int_equal(tunnel_quality_reply(&t.q, seq, 2 * SEC + 10 * MS, &ri),
			 TUNNEL_REPLY_SAMPLE);
	ri.oneway_valid = true;
	ri.back_ns = TUNNEL_SAMPLE_NO_DELAY;
	seq = tunnel_quality_next_seq(&t.q, 3 * SEC);
	assert_int_equal(tunnel_quality_reply(&t.q, seq, 3 * SEC + 10 * MS, &ri),
			 TUNNEL_REPLY_SAMPLE);
	s = tunnel_quality_history(&t.q, 3);
	assert_int_equal(s->flags, 0);
	assert_true(s->fwd_ns == TUNNEL_SAMPLE_NO_DELAY);
	assert_true(s->back_ns == TUNNEL_SAMPLE_NO_DELAY);
	m = metric(&t.q, TUNNEL_METRIC_FWD);
	assert_double_equal(m.last, -2, EPS);
	assert_double_equal(m.smoothed, 2.5, EPS);
	assert_int_equal(m.samples, 2);
	assert_int_equal(metric(&t.q, TUNNEL_METRIC_RTT).samples, 4);
}

static void test_bogus(void **state)
{
	struct tunnel_reply_info ri = { .reflector_hold_ns = 11 * MS };
	const struct tunnel_quality_counters *c;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	c = tunnel_quality_counters(&t.q);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 0), 0);
	/* Held 11 ms of a 10 ms round trip: a lie, no sample, probe still open. */
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 10 * MS, &ri), TUNNEL_REPLY_BOGUS);
	ri.reflector_hold_ns = UINT64_MAX;
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 10 * MS, &ri), TUNNEL_REPLY_BOGUS);
	assert_int_equal(c->bogus, 2);
	assert_int_equal(c->received, 0);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 1);
	assert_int_equal(tunnel_quality_history_count(&t.q), 0);
	/* The honest reply: 12 - 2 = 10 ms. */
	ri.reflector_hold_ns = 2 * MS;
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 12 * MS, &ri), TUNNEL_REPLY_SAMPLE);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).last, 10, EPS);

	/* A hold equal to the round trip gives 0, not a lie. */
	assert_int_equal(tunnel_quality_next_seq(&t.q, 1 * SEC), 1);
	ri.reflector_hold_ns = 5 * MS;
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 1 * SEC + 5 * MS, &ri),
			 TUNNEL_REPLY_SAMPLE);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).last, 0, EPS);
	assert_int_equal(c->bogus, 2);
	assert_int_equal(c->received, 2);
}

static void test_rate(void **state)
{
	struct tunnel_rate r;

	(void)state;
	tunnel_rate_init(&r);
	assert_false(r.valid);
	/* First reading: baseline only. */
	assert_int_equal(tunnel_rate_update(&r, 1000, 1 * SEC, 0.25), 0);
	assert_false(r.valid);
	/* Same instant: ignored, even with more bytes. */
	assert_int_equal(tunnel_rate_update(&r, 5000, 1 * SEC, 0.25), 0);
	/* 125000 bytes in 1 s = 1 Mbit/s; the first sample is also the smoothed value. */
	assert_int_equal(tunnel_rate_update(&r, 126000, 2 * SEC, 0.25), 1);
	assert_true(r.valid);
	assert_double_equal(r.last_bps, 1e6, EPS);
	assert_double_equal(r.smoothed_bps, 1e6, EPS);
	/* 250000 bytes in 1 s = 2 Mbit/s; 1 + 0.25 * (2 - 1) = 1.25 Mbit/s. */
	assert_int_equal(tunnel_rate_update(&r, 376000, 3 * SEC, 0.25), 1);
	assert_double_equal(r.last_bps, 2e6, EPS);
	assert_double_equal(r.smoothed_bps, 1.25e6, EPS);

	/* Interface re-created: the counter restarts; new baseline, no sample. */
	assert_int_equal(tunnel_rate_update(&r, 500, 4 * SEC, 0.25), 0);
	assert_double_equal(r.last_bps, 2e6, EPS);
	assert_double_equal(r.smoothed_bps, 1.25e6, EPS);
	/* 125000 bytes in 0.5 s = 2 Mbit/s: 1.25 + 0.25 * 0.75 = 1.4375. */
	assert_int_equal(tunnel_rate_update(&r, 125500, 4500 * MS, 0.25), 1);
	assert_double_equal(r.last_bps, 2e6, EPS);
	assert_double_equal(r.smoothed_bps, 1.4375e6, EPS);

	/* A clock that went back: new baseline too. */
	assert_int_equal(tunnel_rate_update(&r, 200000, 4 * SEC, 0.25), 0);
	/* Idle: 0 bit/s over 1 s. 1.4375 * 0.75 = 1.078125 */
	assert_int_equal(tunnel_rate_update(&r, 200000, 5 * SEC, 0.25), 1);
	assert_double_equal(r.last_bps, 0, EPS);
	assert_double_equal(r.smoothed_bps, 1.078125e6, EPS);

	/* A counter near 2^64: 1000 bytes in 1 s = 8000 bit/s. */
	tunnel_rate_init(&r);
	assert_int_equal(tunnel_rate_update(&r, UINT64_MAX - 1000, 0, 1.0), 0);
	assert_int_equal(tunnel_rate_update(&r, UINT64_MAX, 1 * SEC, 1.0), 1);
	assert_double_equal(r.last_bps, 8000, EPS);

	assert_int_equal(tunnel_rate_update(NULL, 0, 0, 0.25), -EINVAL);
	assert_int_equal(tunnel_rate_update(&r, 0, 0, 0), -EINVAL);
	assert_int_equal(tunnel_rate_update(&r, 0, 0, 1.5), -EINVAL);
	assert_int_equal(tunnel_rate_update(&r, 0, 0, NAN), -EINVAL);
	assert_double_equal(r.last_bps, 8000, EPS);
	tunnel_rate_init(NULL);
}

/* 10 ms interval, 60 s timeout: 6000 probes in flight, across the wrap. */
static void test_many_outstanding(void **state)
{
	static const uint32_t sizes[] = { 8192, 16384 };
	const uint32_t first = UINT32_MAX - 2999;
	struct tunnel_quality_params p = {
		.alpha = 0.25,
		.window = 30,
		.timeout_ns = 60 * SEC,
		.first_seq = first,
	};

	(void)state;
	assert_int_equal(tunnel_quality_pending_size(10 * MS, 60 * SEC), 16384);
	for (unsigned int k = 0; k < 2; k++) {
		const struct tunnel_quality_counters *c;
		struct tunnel_sample ring[30];
		struct tunnel_probe *pending;
		struct tunnel_quality q;
		struct tunnel_metric m;

		pending = calloc(sizes[k], sizeof(*pending));
		assert_non_null(pending);
		assert_int_equal(tunnel_quality_init(&q, ring, 30, pending, sizes[k], &p), 0);
		c = tunnel_quality_counters(&q);

		for (uint32_t i = 0; i < 6000; i++)
			assert_int_equal(tunnel_quality_next_seq(&q, i * 10 * MS), first + i);
		assert_int_equal(tunnel_quality_outstanding(&q), 6000);
		/* At 60 s the first is exactly 60 s old: none lost. */
		assert_int_equal(tunnel_quality_expire(&q, 60 * SEC), 0);

		/* Every odd one answered at 60 s: RTT 60 s - i * 10 ms. */
		for (uint32_t i = 1; i < 6000; i += 2)
			assert_int_equal(tunnel_quality_reply(&q, first + i, 60 * SEC, NULL),
					 TUNNEL_REPLY_SAMPLE);
		assert_int_equal(c->received, 3000);
		assert_int_equal(tunnel_quality_outstanding(&q), 3000);
		m = metric(&q, TUNNEL_METRIC_RTT);
		assert_double_equal(m.last, 10, EPS);
		/* The ring holds the last 30 replies, i = 5941 .. 5999. */
		assert_double_equal(m.max, 60000 - 59410, EPS);

		/* The even ones expire, in order. */
		assert_int_equal(tunnel_quality_expire(&q, 120 * SEC), 3000);
		assert_int_equal(c->lost, 3000);
		assert_int_equal(tunnel_quality_outstanding(&q), 0);
		assert_int_equal(tunnel_quality_consecutive_lost(&q), 3000);
		assert_int_equal(tunnel_quality_history(&q, 0)->seq, first + 5940);
		assert_int_equal(tunnel_quality_history(&q, 29)->seq, first + 5998);
		assert_double_equal(metric(&q, TUNNEL_METRIC_LOSS).last, 100, EPS);
		assert_int_equal(tunnel_quality_reply(&q, first, 120 * SEC, NULL),
				 TUNNEL_REPLY_LATE);
		assert_int_equal(tunnel_quality_reply(&q, first + 1, 120 * SEC, NULL),
				 TUNNEL_REPLY_DUPLICATE);
		free(pending);
	}
}

/* A table of 4 with a 5th probe sent: the oldest counts as lost early. */
static void test_table_full(void **state)
{
	const struct tunnel_quality_counters *c;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 60 * SEC, 0, 4);
	c = tunnel_quality_counters(&t.q);
	for (uint32_t i = 0; i < 4; i++)
		tunnel_quality_next_seq(&t.q, i * MS);
	assert_int_equal(c->lost, 0);
	/* seq 1 answered; then seq 4 takes seq 0's slot. */
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 5 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 6 * MS), 4);
	assert_int_equal(c->lost, 1);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 3);
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 7 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	/* seq 5 takes the answered seq 1's slot: nothing lost. */
	assert_int_equal(tunnel_quality_next_seq(&t.q, 8 * MS), 5);
	assert_int_equal(c->lost, 1);
	assert_int_equal(tunnel_quality_reply(&t.q, 5, 9 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_reply(&t.q, 2, 9 * MS, NULL), TUNNEL_REPLY_REORDERED);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 2);

	/* A table of one: every new probe ends the previous one. */
	tq_init(&t, 0.25, 30, 60 * SEC, 0, 1);
	c = tunnel_quality_counters(&t.q);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 0), 0);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 1 * MS), 1);
	assert_int_equal(c->lost, 1);
	assert_int_equal(tunnel_quality_reply(&t.q, 0, 2 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 2 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 3 * MS), 2);
	assert_int_equal(c->lost, 1);
}

static void test_reset(void **state)
{
	const struct tunnel_quality_counters *c;
	const struct tunnel_sample *s;
	struct tunnel_metric m;
	uint64_t clock = 0;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	c = tunnel_quality_counters(&t.q);
	steady(&t.q, &clock, 1, 10 * MS);
	steady(&t.q, &clock, 1, 20 * MS);
	lose(&t.q, &clock);
	assert_int_equal(tunnel_quality_next_seq(&t.q, clock), 3);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 1);

	tunnel_quality_reset(&t.q, 5000);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 0);
	assert_int_equal(tunnel_quality_consecutive_lost(&t.q), 0);
	assert_int_equal(c->sent, 4);
	assert_int_equal(c->received, 2);
	assert_int_equal(c->lost, 1);
	/* The old tunnel's probes are strangers now. */
	assert_int_equal(tunnel_quality_reply(&t.q, 3, clock + 5 * MS, NULL),
			 TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_reply(&t.q, 1, clock + 5 * MS, NULL),
			 TUNNEL_REPLY_UNKNOWN);
	/* Smoothed values and the ring are kept: 10 + 0.25 * 10 = 12.5 ms. */
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.smoothed, 12.5, EPS);
	assert_double_equal(m.last, 20, EPS);
	assert_int_equal(tunnel_quality_history_count(&t.q), 3);

	/* A new first probe; no jitter against the old tunnel's last RTT. */
	clock += SEC;
	assert_int_equal(probe(&t.q, clock, 50 * MS), 5000);
	s = tunnel_quality_history(&t.q, 3);
	assert_int_equal(s->seq, 5000);
	assert_int_equal(s->ipdv_ns, -1);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_JITTER).last, 10, EPS);
	assert_int_equal(metric(&t.q, TUNNEL_METRIC_JITTER).samples, 1);
	/* 50 is 37.5 off 12.5, beyond the bound; clipped, not a reset value. */
	assert_true(metric(&t.q, TUNNEL_METRIC_RTT).smoothed < 20);
	assert_int_equal(c->sent, 5);
}

static void test_set_params(void **state)
{
	struct tunnel_quality_params p = {
		.alpha = 0.25,
		.window = 5,
		.timeout_ns = 2 * SEC,
	};
	struct tunnel_metric m;
	uint64_t clock = 0;
	struct tq t;

	(void)state;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 8, t.pending, 8, &p), 0);
	for (unsigned int i = 1; i <= 5; i++)
		steady(&t.q, &clock, 1, i * MS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).min, 1, EPS);

	/* Smaller window: the newest 3 stay. */
	p.window = 3;
	assert_int_equal(tunnel_quality_set_params(&t.q, &p), 0);
	assert_int_equal(tunnel_quality_history_count(&t.q), 3);
	assert_int_equal(tunnel_quality_history(&t.q, 0)->rtt_ns, 3 * MS);
	m = metric(&t.q, TUNNEL_METRIC_RTT);
	assert_double_equal(m.min, 3, EPS);
	assert_double_equal(m.max, 5, EPS);

	/* Larger than the ring: refused, nothing changed. */
	p.window = 9;
	p.alpha = 0.5;
	assert_int_equal(tunnel_quality_set_params(&t.q, &p), -ENOSPC);
	p.window = 8;
	p.alpha = 0;
	assert_int_equal(tunnel_quality_set_params(&t.q, &p), -EINVAL);
	assert_double_equal(t.q.alpha, 0.25, EPS);
	assert_int_equal(t.q.window, 3);

	/* Up to the ring's size is fine; the ring keeps its 3 and grows to 8. */
	p.alpha = 1;
	assert_int_equal(tunnel_quality_set_params(&t.q, &p), 0);
	for (unsigned int i = 0; i < 6; i++)
		steady(&t.q, &clock, 1, 7 * MS);
	assert_int_equal(tunnel_quality_history_count(&t.q), 8);
	assert_int_equal(tunnel_quality_history(&t.q, 0)->rtt_ns, 4 * MS);
	/* alpha 1: smoothed = the last sample. */
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, 7, EPS);

	/* A shorter timeout applies to the probes already out. */
	tunnel_quality_next_seq(&t.q, clock);
	p.timeout_ns = 100 * MS;
	assert_int_equal(tunnel_quality_set_params(&t.q, &p), 0);
	assert_int_equal(tunnel_quality_expire(&t.q, clock + 101 * MS), 1);
}

static void test_reinit(void **state)
{
	struct tunnel_quality_params p = {
		.alpha = 0.25,
		.window = 4,
		.timeout_ns = 60 * SEC,
	};
	struct tunnel_sample ring2[16], ring3[2];
	struct tunnel_probe pending2[16], pending3[2];
	const struct tunnel_sample *s;
	struct tunnel_metric m;
	uint64_t clock = 0;
	double smoothed;
	struct tq t;

	(void)state;
	assert_int_equal(tunnel_quality_init(&t.q, t.ring, 4, t.pending, 4, &p), 0);
	for (unsigned int i = 1; i <= 6; i++)
		steady(&t.q, &clock, 1, i * MS);
	/* Ring [3, 4, 5, 6], wrapped inside the array; two probes out. */
	assert_int_equal(tunnel_quality_next_seq(&t.q, clock), 6);
	assert_int_equal(tunnel_quality_next_seq(&t.q, clock + 1), 7);
	smoothed = metric(&t.q, TUNNEL_METRIC_RTT).smoothed;

	/* Refusals leave everything as it was. */
	p.window = 17;
	assert_int_equal(tunnel_quality_reinit(&t.q, ring2, 16, pending2, 16, &p), -ENOSPC);
	p.window = 0;
	assert_int_equal(tunnel_quality_reinit(&t.q, ring2, 16, pending2, 16, &p), -EINVAL);
	p.window = 12;
	assert_int_equal(tunnel_quality_reinit(&t.q, ring2, 11, pending2, 16, &p), -ENOSPC);
	assert_int_equal(tunnel_quality_reinit(&t.q, ring2, 16, pending2, 12, &p), -EINVAL);
	assert_int_equal(tunnel_quality_reinit(&t.q, NULL, 16, pending2, 16, &p), -EINVAL);
	assert_true(t.q.ring == t.ring);

	/* Larger: everything moves along. */
	assert_int_equal(tunnel_quality_reinit(&t.q, ring2, 16, pending2, 16, &p), 0);
	assert_int_equal(tunnel_quality_history_count(&t.q), 4);
	for (uint16_t i = 0; i < 4; i++)
		assert_int_equal(tunnel_quality_history(&t.q, i)->rtt_ns, (i + 3) * MS);
	assert_double_equal(metric(&t.q, TUNNEL_METRIC_RTT).smoothed, smoothed, EPS);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 2);
	/* Old answered probes are still duplicates, the open ones answerable. */
	assert_int_equal(tunnel_quality_reply(&t.q, 5, clock + 2, NULL), TUNNEL_REPLY_DUPLICATE);
	assert_int_equal(tunnel_quality_reply(&t.q, 7, clock + 3 * MS, NULL),
			 TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_history_count(&t.q), 5);
	assert_int_equal(tunnel_quality_history(&t.q, 4)->rtt_ns, 3 * MS - 1);
	assert_int_equal(tunnel_quality_next_seq(&t.q, clock + 4 * MS), 8);
	assert_int_equal(tunnel_quality_next_seq(&t.q, clock + 5 * MS), 9);

	/*
	 * Smaller, window 2: 6, 8 and 9 are out, the table holds 2: 6 is lost now.
	 * The ring keeps the newest 2 ([6 ms, 3 ms - 1 ns]), then the loss enters.
	 */
	p.window = 2;
	assert_int_equal(tunnel_quality_reinit(&t.q, ring3, 2, pending3, 2, &p), 0);
	assert_int_equal(tunnel_quality_counters(&t.q)->lost, 1);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 2);
	assert_int_equal(tunnel_quality_history_count(&t.q), 2);
	s = tunnel_quality_history(&t.q, 0);
	assert_int_equal(s->rtt_ns, 3 * MS - 1);
	s = tunnel_quality_history(&t.q, 1);
	assert_int_equal(s->seq, 6);
	assert_int_equal(s->flags, TUNNEL_SAMPLE_LOST);
	m = metric(&t.q, TUNNEL_METRIC_LOSS);
	assert_double_equal(m.last, 50, EPS);
	/* The window changed: its range restarts; full at once, so [50, 50]. */
	assert_double_equal(m.min, 50, EPS);
	assert_double_equal(m.max, 50, EPS);
	assert_int_equal(tunnel_quality_reply(&t.q, 6, clock + 6 * MS, NULL), TUNNEL_REPLY_UNKNOWN);
	assert_int_equal(tunnel_quality_reply(&t.q, 9, clock + 6 * MS, NULL), TUNNEL_REPLY_SAMPLE);
	assert_int_equal(tunnel_quality_reply(&t.q, 8, clock + 6 * MS, NULL),
			 TUNNEL_REPLY_REORDERED);
	assert_int_equal(tunnel_quality_outstanding(&t.q), 0);

	/* The same arrays again: nothing moves. */
	assert_int_equal(tunnel_quality_reinit(&t.q, ring3, 2, pending3, 2, &p), 0);
	assert_int_equal(tunnel_quality_history(&t.q, 1)->seq, 8);
	assert_int_equal(tunnel_quality_reply(&t.q, 9, clock + 7 * MS, NULL),
			 TUNNEL_REPLY_DUPLICATE);
}

/* Caller's clock going backwards must not break the send order. */
static void test_clock_backwards(void **state)
{
	const struct tunnel_sample *s;
	struct tq t;

	(void)state;
	tq_init(&t, 0.25, 30, 2 * SEC, 0, 8);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 10 * SEC), 0);
	assert_int_equal(tunnel_quality_next_seq(&t.q, 5 * SEC), 1);
	/* A reply "before" the send: elapsed 0, RTT 0. */
	assert_int_equal(tunnel_quality_reply(&t.q, 1, 9 * SEC, NULL), TUNNEL_REPLY_SAMPLE);
	s = tunnel_quality_history(&t.q, 0);
	assert_int_equal(s->sent_ns, 10 * SEC);
	assert_int_equal(s->rtt_ns, 0);
	assert_int_equal(tunnel_quality_expire(&t.q, 12 * SEC + 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ewma),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_pending_size),
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_loss_by_expiry),
		cmocka_unit_test(test_late),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_outlier),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_step_calm),
		cmocka_unit_test(test_loss_window),
		cmocka_unit_test(test_loss_filling),
		cmocka_unit_test(test_minmax_window),
		cmocka_unit_test(test_oneway),
		cmocka_unit_test(test_bogus),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_many_outstanding),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_set_params),
		cmocka_unit_test(test_reinit),
		cmocka_unit_test(test_clock_backwards),
	};

	return cmocka_run_group_tests_name("tunnel_quality", tests, NULL, NULL);
}
