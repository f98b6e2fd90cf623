// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Score, local-preference and OSPF cost arithmetic (seed 004's model, seed
 * 003's half-RTT cost).  Doubles are checked before every conversion to an
 * integer, so no input can reach an out-of-range cast.
 */
#include <math.h>
#include <stddef.h>

#include "tunnel_score.h"

#define COST_MAX 65535U

/* Relative slack of floor(): 0.1 * 3 must floor to 0, 2 * 27 to 54, whatever the rounding. */
#define FLOOR_SLACK 1e-9

static double floor_forgiving(double x)
{
	return floor(x + FLOOR_SLACK * fmax(1.0, fabs(x)));
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static bool metric_ok(double v)
{
	return isfinite(v) && v >= 0.0;
}

static bool metrics_ok(const struct tunnel_metrics *m)
{
	return m && metric_ok(m->rtt_ms) && metric_ok(m->jitter_ms) && metric_ok(m->loss) &&
	       metric_ok(m->bandwidth_bps);
}

bool tunnel_score_compute(const struct tunnel_score_params *p, const struct tunnel_metrics *m,
			  struct tunnel_score *out)
{
	struct tunnel_score s = { .total = NAN };
	double bw;

	if (!out)
		return false;
	*out = s;
	if (!p || !metrics_ok(m))
		return false;
	if (!p->ref_bandwidth_kbps || !p->ref_rtt_ms || !p->ref_jitter_ms)
		return false;
	if (!isfinite(p->w_bandwidth) || !isfinite(p->w_rtt) || !isfinite(p->w_jitter) ||
	    !isfinite(p->w_loss))
		return false;

	bw = m->bandwidth_bps / ((double)p->ref_bandwidth_kbps * 1000.0);
	s.bandwidth = p->w_bandwidth * fmin(1.0, bw);
	s.rtt = -(p->w_rtt * m->rtt_ms / (double)p->ref_rtt_ms);
	s.jitter = -(p->w_jitter * m->jitter_ms / (double)p->ref_jitter_ms);
	s.loss = -(p->w_loss * fmin(1.0, m->loss));
	s.total = s.bandwidth + s.rtt + s.jitter + s.loss;
	if (!isfinite(s.total))
		return false;
	s.valid = true;
	*out = s;
	return true;
}

uint32_t tunnel_lp_from_score(const struct tunnel_lp_params *p, double score)
{
	double pts;

	if (!p)
		return 0;
	if (!isfinite(score) || !isfinite(p->scale) || !isfinite(p->max_score) ||
	    p->scale <= 0.0 || p->max_score <= 0.0)
		return p->base;

	pts = floor_forgiving(p->scale * clamp(score, 0.0, p->max_score));
	if (pts >= (double)(UINT32_MAX - p->base))
		return UINT32_MAX;
	return p->base + (uint32_t)pts;
}

uint32_t tunnel_lp_neutral(const struct tunnel_lp_params *p)
{
	return p ? p->base : 0;
}

/* The bounds tunnel_cost_quantise() clamps into. */
static void cost_bounds(const struct tunnel_cost_params *p, unsigned int *lo, unsigned int *hi)
{
	*lo = p->minimum ? p->minimum : 1U;
	*hi = p->maximum > *lo ? p->maximum : *lo;
}

uint16_t tunnel_cost_quantise(const struct tunnel_cost_params *p, double raw)
{
	unsigned int lo, hi, step;
	double q;

	if (!p)
		return COST_MAX;
	cost_bounds(p, &lo, &hi);
	if (!isfinite(raw) || raw >= (double)hi)
		return (uint16_t)hi;
	if (raw < 0.0)
		raw = 0.0;

	step = p->step ? p->step : 1U;
	q = floor_forgiving(raw / step + 0.5) * step;
	q = clamp(q, (double)step, (double)COST_MAX);
	q = clamp(q, (double)lo, (double)hi);
	return (uint16_t)q;
}

uint16_t tunnel_cost_neutral(const struct tunnel_cost_params *p)
{
	unsigned int lo, hi;

	if (!p)
		return COST_MAX;
	cost_bounds(p, &lo, &hi);
	return (uint16_t)hi;
}

uint16_t tunnel_cost_compute(const struct tunnel_cost_params *p, const struct tunnel_metrics *m,
			     double score, double max_score)
{
	unsigned int lo, hi;
	double raw, mbps;

	if (!p)
		return COST_MAX;
	cost_bounds(p, &lo, &hi);

	switch (p->mode) {
	case TUNNEL_COST_FORMULA_LATENCY:
		if (!m || !metric_ok(m->rtt_ms))
			return (uint16_t)hi;
		raw = m->rtt_ms / 2.0;
		break;
	case TUNNEL_COST_FORMULA_COMPOSITE:
		if (!m || !metric_ok(m->rtt_ms) || !metric_ok(m->loss) ||
		    !metric_ok(m->bandwidth_bps))
			return (uint16_t)hi;
		mbps = fmax(m->bandwidth_bps / 1e6, TUNNEL_COST_MIN_MBPS);
		raw = p->beta * m->rtt_ms + p->gamma / mbps + p->delta * fmin(1.0, m->loss);
		break;
	case TUNNEL_COST_FORMULA_SCORE:
		if (!isfinite(score))
			return (uint16_t)hi;
		if (!isfinite(max_score) || max_score <= 0.0)
			return tunnel_cost_quantise(p, (double)lo);
		raw = lo + (double)(hi - lo) * (max_score - clamp(score, 0.0, max_score)) /
				   max_score;
		break;
	default:
		return (uint16_t)hi;
	}
	return tunnel_cost_quantise(p, raw);
}

void tunnel_score_evaluate(const struct tunnel_score_profile *p, const struct tunnel_metrics *m,
			   struct tunnel_score_result *out)
{
	if (!out)
		return;
	tunnel_score_compute(p ? &p->score : NULL, m, &out->score);
	out->lp = tunnel_lp_from_score(p ? &p->lp : NULL, out->score.total);
	out->cost = tunnel_cost_compute(p ? &p->cost : NULL, m, out->score.total,
					p ? p->lp.max_score : 0.0);
}
