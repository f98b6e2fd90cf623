// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Probe bookkeeping and the smoothing of RTT, jitter, loss, one-way delay
 * and throughput.
 *
 * Outstanding probes live in a table indexed by sequence number modulo its
 * power-of-two size, so sending, matching a reply and expiring are O(1)
 * however many probes are in flight (6000 at 10 ms with a 60 s timeout).
 * A slot keeps its probe's fate (answered, lost) until the slot is reused
 * pending_size probes later, which is what tells DUPLICATE and LATE from
 * UNKNOWN.  Sequence numbers are compared modulo 2^32 (RFC 1982).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "tunnel_quality.h"

enum probe_state {
	PROBE_PENDING = 1,
	PROBE_ANSWERED,
	PROBE_LOST,
};

#define NS_PER_MS 1e6

double tunnel_ewma(double prev, double sample, double alpha)
{
	if (!isfinite(sample) || !(alpha > 0.0 && alpha <= 1.0))
		return prev;
	if (isnan(prev))
		return sample;
	return prev + alpha * (sample - prev);
}

void tunnel_quality_params_default(struct tunnel_quality_params *p)
{
	if (!p)
		return;
	memset(p, 0, sizeof(*p));
	p->alpha = TUNNEL_QUALITY_ALPHA_DEFAULT;
	p->timeout_ns = 2000000000ULL;
	p->window = TUNNEL_QUALITY_WINDOW_DEFAULT;
}

uint32_t tunnel_quality_pending_size(uint64_t interval_ns, uint64_t timeout_ns)
{
	uint64_t per_timeout, need;
	uint32_t size = TUNNEL_QUALITY_PENDING_MIN;

	if (interval_ns == 0)
		return TUNNEL_QUALITY_PENDING_MAX;
	per_timeout = timeout_ns / interval_ns + (timeout_ns % interval_ns != 0);
	if (per_timeout >= TUNNEL_QUALITY_PENDING_MAX)
		return TUNNEL_QUALITY_PENDING_MAX;
	need = 2 * per_timeout + 1;
	while (size < need && size < TUNNEL_QUALITY_PENDING_MAX)
		size *= 2;
	return size;
}

static bool params_ok(const struct tunnel_quality_params *p)
{
	/* timeout <= INT64_MAX keeps every RTT (<= timeout) an int64_t. */
	return p && p->alpha > 0.0 && p->alpha <= 1.0 && p->timeout_ns > 0 &&
	       p->timeout_ns <= INT64_MAX &&
	       p->window >= TUNNEL_QUALITY_WINDOW_MIN && p->window <= TUNNEL_QUALITY_WINDOW_MAX;
}

static bool pending_size_ok(uint32_t size)
{
	return size >= 1 && size <= TUNNEL_QUALITY_PENDING_MAX && (size & (size - 1)) == 0;
}

/* a is newer than b in serial-number arithmetic (RFC 1982, 32 bits). */
static bool seq_after(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(a - b) < 0x80000000U;
}

static struct tunnel_probe *slot_of(const struct tunnel_quality *q, uint32_t seq)
{
	return &q->pending[seq & (q->pending_size - 1)];
}

/* --- damped EWMA ------------------------------------------------------ */

static void smooth_update(struct tunnel_smooth *s, double x, double alpha)
{
	double dev, bound, eff;

	if (!s->valid) {
		/* Like RFC 6298's first RTTVAR: generous until samples say otherwise. */
		s->value = x;
		s->mdev = fabs(x) / 2;
		s->side = 0;
		s->run = 0;
		s->valid = true;
		return;
	}

	dev = x - s->value;
	bound = TUNNEL_QUALITY_OUTLIER_K * s->mdev;
	if (bound < TUNNEL_QUALITY_OUTLIER_FLOOR_NS)
		bound = TUNNEL_QUALITY_OUTLIER_FLOOR_NS;

	eff = x;
	if (fabs(dev) > bound) {
		int8_t side = dev > 0 ? 1 : -1;

		if (side == s->side) {
			if (s->run < UINT8_MAX)
				s->run++;
		} else {
			s->side = side;
			s->run = 1;
		}
		/* A short run is noise: it moves the value by at most alpha * bound. */
		if (s->run < TUNNEL_QUALITY_OUTLIER_RUN)
			eff = s->value + side * bound;
	} else {
		s->side = 0;
		s->run = 0;
	}

	s->mdev = tunnel_ewma(s->mdev, fabs(eff - s->value), alpha);
	s->value = tunnel_ewma(s->value, eff, alpha);
}

static void smooth_restart_run(struct tunnel_smooth *s)
{
	s->side = 0;
	s->run = 0;
}

/* --- the sample ring -------------------------------------------------- */

static struct tunnel_sample *ring_at(const struct tunnel_quality *q, uint16_t idx)
{
	return &q->ring[(uint16_t)(((uint32_t)q->ring_start + idx) % q->ring_size)];
}

static void ring_drop_oldest(struct tunnel_quality *q)
{
	if (ring_at(q, 0)->flags & TUNNEL_SAMPLE_LOST)
		q->ring_lost--;
	q->ring_start = (uint16_t)((q->ring_start + 1U) % q->ring_size);
	q->ring_count--;
}

static double loss_last(const struct tunnel_quality *q)
{
	return q->ring_count ? 100.0 * q->ring_lost / q->ring_count : 0.0;
}

static void ring_push(struct tunnel_quality *q, const struct tunnel_sample *s)
{
	double last;

	while (q->ring_count >= q->window)
		ring_drop_oldest(q);
	*ring_at(q, q->ring_count) = *s;
	q->ring_count++;
	if (s->flags & TUNNEL_SAMPLE_LOST)
		q->ring_lost++;

	/*
	 * Until the window is full, last is already the mean of every probe
	 * so far, and smoothing it against a few coarse early values (the
	 * first lost probe reads 100 %) would only slow the way to the truth.
	 */
	last = loss_last(q);
	if (q->ring_count < q->window) {
		q->loss_smoothed = last;
		return;
	}
	q->loss_smoothed = tunnel_ewma(q->loss_smoothed, last, q->alpha);
	if (!q->loss_range_valid) {
		q->loss_min = q->loss_max = last;
		q->loss_range_valid = true;
	} else if (last < q->loss_min) {
		q->loss_min = last;
	} else if (last > q->loss_max) {
		q->loss_max = last;
	}
}

/* Keep only the newest `window` samples. */
static void ring_trim(struct tunnel_quality *q, uint16_t window)
{
	while (q->ring_count > window)
		ring_drop_oldest(q);
}

/* --- outstanding probes ----------------------------------------------- */

static void probe_lost(struct tunnel_quality *q, struct tunnel_probe *pr)
{
	struct tunnel_sample s = {
		.seq = pr->seq,
		.sent_ns = pr->sent_ns,
		.rtt_ns = -1,
		.ipdv_ns = -1,
		.fwd_ns = TUNNEL_SAMPLE_NO_DELAY,
		.back_ns = TUNNEL_SAMPLE_NO_DELAY,
		.flags = TUNNEL_SAMPLE_LOST,
	};

	pr->state = PROBE_LOST;
	q->outstanding--;
	q->counters.lost++;
	q->consecutive_lost++;
	ring_push(q, &s);
}

uint32_t tunnel_quality_expire(struct tunnel_quality *q, uint64_t now_ns)
{
	uint32_t n = 0;

	if (!q)
		return 0;
	/* Send times grow with the sequence: stop at the first probe in time. */
	while (q->expire_seq != q->next_seq) {
		struct tunnel_probe *pr = slot_of(q, q->expire_seq);

		if (pr->state == PROBE_PENDING) {
			if (now_ns <= pr->sent_ns || now_ns - pr->sent_ns <= q->timeout_ns)
				break;
			probe_lost(q, pr);
			n++;
		}
		q->expire_seq++;
	}
	return n;
}

uint32_t tunnel_quality_next_seq(struct tunnel_quality *q, uint64_t now_ns)
{
	struct tunnel_probe *pr;
	uint32_t seq;

	if (!q)
		return 0;
	tunnel_quality_expire(q, now_ns);
	if (now_ns < q->last_sent_ns)
		now_ns = q->last_sent_ns;

	seq = q->next_seq;
	pr = slot_of(q, seq);
	if (q->next_seq - q->expire_seq == q->pending_size) {
		/* Table full: the slot is the oldest outstanding probe's. */
		if (pr->state == PROBE_PENDING)
			probe_lost(q, pr);
		q->expire_seq++;
	}
	pr->seq = seq;
	pr->sent_ns = now_ns;
	pr->state = PROBE_PENDING;

	q->outstanding++;
	q->next_seq++;
	q->last_sent_ns = now_ns;
	if (q->pending_known < q->pending_size)
		q->pending_known++;
	q->counters.sent++;
	return seq;
}

uint32_t tunnel_quality_outstanding(const struct tunnel_quality *q)
{
	return q ? q->outstanding : 0;
}

/* --- replies ---------------------------------------------------------- */

static void take_sample(struct tunnel_quality *q, struct tunnel_probe *pr, int64_t rtt,
			bool reordered, const struct tunnel_reply_info *ri)
{
	struct tunnel_sample s = {
		.seq = pr->seq,
		.sent_ns = pr->sent_ns,
		.rtt_ns = rtt,
		.ipdv_ns = -1,
		.fwd_ns = TUNNEL_SAMPLE_NO_DELAY,
		.back_ns = TUNNEL_SAMPLE_NO_DELAY,
		.flags = reordered ? TUNNEL_SAMPLE_REORDERED : 0,
	};

	if (q->have_prev_rtt) {
		s.ipdv_ns = rtt >= q->last_rtt_ns ? rtt - q->last_rtt_ns : q->last_rtt_ns - rtt;
		q->last_ipdv_ns = s.ipdv_ns;
		smooth_update(&q->jitter, (double)s.ipdv_ns, q->alpha);
	}
	q->last_rtt_ns = rtt;
	q->have_prev_rtt = true;
	smooth_update(&q->rtt, (double)rtt, q->alpha);

	if (ri && ri->oneway_valid && ri->fwd_ns != TUNNEL_SAMPLE_NO_DELAY &&
	    ri->back_ns != TUNNEL_SAMPLE_NO_DELAY) {
		s.fwd_ns = ri->fwd_ns;
		s.back_ns = ri->back_ns;
		s.flags |= TUNNEL_SAMPLE_ONEWAY;
		q->last_fwd_ns = ri->fwd_ns;
		q->last_back_ns = ri->back_ns;
		smooth_update(&q->fwd, (double)ri->fwd_ns, q->alpha);
		smooth_update(&q->back, (double)ri->back_ns, q->alpha);
	}

	pr->state = PROBE_ANSWERED;
	q->outstanding--;
	q->counters.received++;
	q->consecutive_lost = 0;
	ring_push(q, &s);
}

enum tunnel_quality_verdict tunnel_quality_reply(struct tunnel_quality *q, uint32_t seq,
						 uint64_t now_ns,
						 const struct tunnel_reply_info *ri)
{
	struct tunnel_probe *pr;
	uint64_t elapsed, hold;
	uint32_t back;
	bool reordered;

	if (!q)
		return TUNNEL_REPLY_UNKNOWN;
	tunnel_quality_expire(q, now_ns);

	/* How many probes ago seq was sent: 1 = the newest; 0 or huge = never. */
	back = q->next_seq - seq;
	if (back == 0 || back > q->pending_known) {
		q->counters.unknown++;
		return TUNNEL_REPLY_UNKNOWN;
	}
	pr = slot_of(q, seq);
	switch ((enum probe_state)pr->state) {
	case PROBE_PENDING:
		break;
	case PROBE_ANSWERED:
		q->counters.duplicates++;
		return TUNNEL_REPLY_DUPLICATE;
	case PROBE_LOST:
		q->counters.late++;
		return TUNNEL_REPLY_LATE;
	default:
		/* Not reached: every known slot has a state. */
		q->counters.unknown++;
		return TUNNEL_REPLY_UNKNOWN;
	}

	elapsed = now_ns > pr->sent_ns ? now_ns - pr->sent_ns : 0;
	hold = ri ? ri->reflector_hold_ns : 0;
	if (hold > elapsed) {
		q->counters.bogus++;
		return TUNNEL_REPLY_BOGUS;
	}

	/* elapsed <= timeout here (expired above), so it fits in int64_t. */
	reordered = q->have_highest && seq_after(q->highest_seq, seq);
	if (!reordered) {
		q->highest_seq = seq;
		q->have_highest = true;
	} else {
		q->counters.reordered++;
	}
	take_sample(q, pr, (int64_t)(elapsed - hold), reordered, ri);
	return reordered ? TUNNEL_REPLY_REORDERED : TUNNEL_REPLY_SAMPLE;
}

const char *tunnel_quality_verdict_name(enum tunnel_quality_verdict v)
{
	switch (v) {
	case TUNNEL_REPLY_SAMPLE:
		return "sample";
	case TUNNEL_REPLY_REORDERED:
		return "reordered";
	case TUNNEL_REPLY_DUPLICATE:
		return "duplicate";
	case TUNNEL_REPLY_LATE:
		return "late";
	case TUNNEL_REPLY_UNKNOWN:
		return "unknown";
	case TUNNEL_REPLY_BOGUS:
		return "bogus";
	}
	return "?";
}

/* --- set-up ----------------------------------------------------------- */

static void apply_params(struct tunnel_quality *q, const struct tunnel_quality_params *p)
{
	if (q->window != p->window)
		q->loss_range_valid = false;
	q->alpha = p->alpha;
	q->timeout_ns = p->timeout_ns;
	q->window = p->window;
}

static void restart_seq(struct tunnel_quality *q, uint32_t first_seq)
{
	q->next_seq = first_seq;
	q->expire_seq = first_seq;
	q->pending_known = 0;
	q->outstanding = 0;
	q->have_highest = false;
	q->highest_seq = 0;
	q->last_sent_ns = 0;
	q->have_prev_rtt = false;
	q->consecutive_lost = 0;
	smooth_restart_run(&q->rtt);
	smooth_restart_run(&q->jitter);
	smooth_restart_run(&q->fwd);
	smooth_restart_run(&q->back);
}

int tunnel_quality_init(struct tunnel_quality *q, struct tunnel_sample *ring,
			uint16_t ring_size, struct tunnel_probe *pending,
			uint32_t pending_size, const struct tunnel_quality_params *p)
{
	if (!q || !ring || !pending || !params_ok(p) || !pending_size_ok(pending_size))
		return -EINVAL;
	if (ring_size < p->window)
		return -ENOSPC;

	memset(q, 0, sizeof(*q));
	q->ring = ring;
	q->ring_size = ring_size;
	q->pending = pending;
	q->pending_size = pending_size;
	q->window = p->window;
	apply_params(q, p);
	restart_seq(q, p->first_seq);
	return 0;
}

int tunnel_quality_set_params(struct tunnel_quality *q, const struct tunnel_quality_params *p)
{
	if (!q || !params_ok(p))
		return -EINVAL;
	if (p->window > q->ring_size)
		return -ENOSPC;
	ring_trim(q, p->window);
	apply_params(q, p);
	return 0;
}

int tunnel_quality_reinit(struct tunnel_quality *q, struct tunnel_sample *ring,
			  uint16_t ring_size, struct tunnel_probe *pending,
			  uint32_t pending_size, const struct tunnel_quality_params *p)
{
	struct tunnel_probe *old_pending;
	uint32_t old_size, keep;

	if (!q || !ring || !pending || !params_ok(p) || !pending_size_ok(pending_size))
		return -EINVAL;
	if (ring_size < p->window)
		return -ENOSPC;

	ring_trim(q, p->window);
	if (ring != q->ring || ring_size != q->ring_size) {
		/* Copy oldest to newest to the start of the new ring. */
		for (uint16_t i = 0; i < q->ring_count; i++)
			ring[i] = *ring_at(q, i);
		q->ring = ring;
		q->ring_size = ring_size;
		q->ring_start = 0;
	}
	/* Losses forced below enter the ring under the new window. */
	apply_params(q, p);

	if (pending == q->pending && pending_size == q->pending_size)
		return 0;

	/* The new table holds pending_size probes: the older ones are lost now. */
	while (q->next_seq - q->expire_seq > pending_size) {
		struct tunnel_probe *pr = slot_of(q, q->expire_seq);

		if (pr->state == PROBE_PENDING)
			probe_lost(q, pr);
		q->expire_seq++;
	}
	old_pending = q->pending;
	old_size = q->pending_size;
	keep = q->pending_known < pending_size ? q->pending_known : pending_size;
	q->pending = pending;
	q->pending_size = pending_size;
	for (uint32_t i = 1; i <= keep; i++) {
		uint32_t seq = q->next_seq - i;

		*slot_of(q, seq) = old_pending[seq & (old_size - 1)];
	}
	q->pending_known = keep;
	return 0;
}

void tunnel_quality_reset(struct tunnel_quality *q, uint32_t first_seq)
{
	if (!q)
		return;
	restart_seq(q, first_seq);
}

/* --- read-out --------------------------------------------------------- */

static int64_t sample_value(const struct tunnel_sample *s, enum tunnel_metric_id id)
{
	switch (id) {
	case TUNNEL_METRIC_RTT:
		return s->rtt_ns;
	case TUNNEL_METRIC_JITTER:
		return s->ipdv_ns;
	case TUNNEL_METRIC_FWD:
		return s->fwd_ns;
	case TUNNEL_METRIC_BACK:
		return s->back_ns;
	case TUNNEL_METRIC_LOSS:
	case TUNNEL_METRIC_MAX:
		break;
	}
	return 0;
}

static bool sample_has(const struct tunnel_sample *s, enum tunnel_metric_id id)
{
	switch (id) {
	case TUNNEL_METRIC_RTT:
		return !(s->flags & TUNNEL_SAMPLE_LOST);
	case TUNNEL_METRIC_JITTER:
		return !(s->flags & TUNNEL_SAMPLE_LOST) && s->ipdv_ns >= 0;
	case TUNNEL_METRIC_FWD:
	case TUNNEL_METRIC_BACK:
		return (s->flags & TUNNEL_SAMPLE_ONEWAY) != 0;
	case TUNNEL_METRIC_LOSS:
	case TUNNEL_METRIC_MAX:
		break;
	}
	return false;
}

/* Delay metrics: min/max by a scan of the ring, only when asked (show). */
static void delay_metric(const struct tunnel_quality *q, enum tunnel_metric_id id,
			 const struct tunnel_smooth *sm, int64_t last, struct tunnel_metric *m)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	if (!sm->valid)
		return;
	m->valid = true;
	m->last = (double)last / NS_PER_MS;
	m->smoothed = sm->value / NS_PER_MS;
	for (uint16_t i = 0; i < q->ring_count; i++) {
		const struct tunnel_sample *s = ring_at(q, i);
		int64_t v;

		if (!sample_has(s, id))
			continue;
		v = sample_value(s, id);
		if (v < lo)
			lo = v;
		if (v > hi)
			hi = v;
		m->samples++;
	}
	m->min = m->samples ? (double)lo / NS_PER_MS : NAN;
	m->max = m->samples ? (double)hi / NS_PER_MS : NAN;
}

bool tunnel_quality_metric(const struct tunnel_quality *q, enum tunnel_metric_id id,
			   struct tunnel_metric *m)
{
	if (!m)
		return false;
	memset(m, 0, sizeof(*m));
	if (!q)
		return false;

	switch (id) {
	case TUNNEL_METRIC_RTT:
		delay_metric(q, id, &q->rtt, q->last_rtt_ns, m);
		break;
	case TUNNEL_METRIC_JITTER:
		delay_metric(q, id, &q->jitter, q->last_ipdv_ns, m);
		break;
	case TUNNEL_METRIC_FWD:
		delay_metric(q, id, &q->fwd, q->last_fwd_ns, m);
		break;
	case TUNNEL_METRIC_BACK:
		delay_metric(q, id, &q->back, q->last_back_ns, m);
		break;
	case TUNNEL_METRIC_LOSS:
		if (!q->ring_count)
			break;
		m->valid = true;
		m->samples = q->ring_count;
		m->last = loss_last(q);
		m->smoothed = q->loss_smoothed;
		if (q->loss_range_valid) {
			m->min = q->loss_min;
			m->max = q->loss_max;
		} else {
			m->min = m->max = m->last;
		}
		break;
	case TUNNEL_METRIC_MAX:
		break;
	}
	return m->valid;
}

const struct tunnel_quality_counters *tunnel_quality_counters(const struct tunnel_quality *q)
{
	return q ? &q->counters : NULL;
}

uint32_t tunnel_quality_consecutive_lost(const struct tunnel_quality *q)
{
	return q ? q->consecutive_lost : 0;
}

uint16_t tunnel_quality_history_count(const struct tunnel_quality *q)
{
	return q ? q->ring_count : 0;
}

const struct tunnel_sample *tunnel_quality_history(const struct tunnel_quality *q, uint16_t idx)
{
	if (!q || idx >= q->ring_count)
		return NULL;
	return ring_at(q, idx);
}

/* --- throughput ------------------------------------------------------- */

void tunnel_rate_init(struct tunnel_rate *r)
{
	if (r)
		memset(r, 0, sizeof(*r));
}

int tunnel_rate_update(struct tunnel_rate *r, uint64_t bytes, uint64_t now_ns, double alpha)
{
	double bps;

	if (!r || !(alpha > 0.0 && alpha <= 1.0))
		return -EINVAL;
	if (r->have_base && now_ns == r->base_ns)
		return 0;
	if (!r->have_base || bytes < r->base_bytes || now_ns < r->base_ns) {
		/* First reading, or a new interface / clock: nothing to compare with. */
		r->base_bytes = bytes;
		r->base_ns = now_ns;
		r->have_base = true;
		return 0;
	}

	bps = (double)(bytes - r->base_bytes) * 8.0 * 1e9 / (double)(now_ns - r->base_ns);
	r->base_bytes = bytes;
	r->base_ns = now_ns;
	r->last_bps = bps;
	r->smoothed_bps = r->valid ? tunnel_ewma(r->smoothed_bps, bps, alpha) : bps;
	r->valid = true;
	return 1;
}
