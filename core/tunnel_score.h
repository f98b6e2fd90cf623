// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Quality score of a tunnel and the routing values derived from it: BGP
 * local-preference and OSPF cost (frr-tunneld.yang, list profile: containers
 * score, local-preference and ospf-cost).  Pure arithmetic, standard C + libm.
 *
 * The parameter structs carry the same fields and units as the daemon's
 * struct tunnel_profile (score, lp, cost), so the daemon copies them field by
 * field.  Every function is total: NULL, NaN, infinite or out-of-range input
 * gives the worst value (base LP, maximum cost), never undefined behaviour.
 */
#ifndef _TUNNELD_TUNNEL_SCORE_H
#define _TUNNELD_TUNNEL_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Smoothed measurements of one tunnel (the daemon's EWMA output). */
struct tunnel_metrics {
	double rtt_ms;	      /* round-trip time, ms, >= 0 */
	double jitter_ms;     /* ms, >= 0 */
	double loss;	      /* fraction 0..1 (values above 1 count as 1) */
	double bandwidth_bps; /* b, bit/s, >= 0; see tunnel_score_compute() */
};

/* Profile container "score": S = w_b*min(1, b/B_ref) - w_r*r/R_ref - w_q*q/Q_ref - w_p*p. */
struct tunnel_score_params {
	double w_bandwidth, w_rtt, w_jitter, w_loss;
	uint32_t ref_bandwidth_kbps; /* B_ref, kbit/s, >= 1 */
	uint32_t ref_rtt_ms;	     /* R_ref, >= 1 */
	uint32_t ref_jitter_ms;	     /* Q_ref, >= 1 */
};

/* A score and its terms, each signed as it contributes: total = sum of the four. */
struct tunnel_score {
	double total;
	double bandwidth; /* +w_b*min(1, b/B_ref), >= 0 with YANG weights */
	double rtt;	  /* -w_r*r/R_ref, <= 0 */
	double jitter;	  /* -w_q*q/Q_ref, <= 0 */
	double loss;	  /* -w_p*p, <= 0 */
	bool valid;	  /* false: bad input; total is NaN, the terms 0 */
};

/* Profile container "local-preference": LP = base + floor(scale * clamp(S, 0, max_score)). */
struct tunnel_lp_params {
	uint32_t base;
	double scale;	  /* k, LP points per score point */
	double max_score; /* Smax */
};

/*
 * Profile leaf ospf-cost/mode.  Same order and values as the daemon's
 * enum tunnel_cost_mode (latency, composite, score); named apart so both
 * headers can be included together.
 */
enum tunnel_cost_formula {
	TUNNEL_COST_FORMULA_LATENCY,
	TUNNEL_COST_FORMULA_COMPOSITE,
	TUNNEL_COST_FORMULA_SCORE,
};

/* Profile container "ospf-cost". */
struct tunnel_cost_params {
	enum tunnel_cost_formula mode;
	double beta;  /* composite: cost per ms of RTT */
	double gamma; /* composite: cost times Mbit/s */
	double delta; /* composite: cost per unit of loss (fraction) */
	uint16_t minimum, maximum, step;
	uint16_t penalty; /* used by tunnel_policy, not here */
};

/*
 * Composite mode divides by the bandwidth in Mbit/s floored at this (1 kbit/s),
 * so a tunnel without traffic gets a large finite cost, not a division by 0.
 */
#define TUNNEL_COST_MIN_MBPS 0.001

/* Everything tunnel_score_evaluate() needs: one profile's three containers. */
struct tunnel_score_profile {
	struct tunnel_score_params score;
	struct tunnel_lp_params lp;
	struct tunnel_cost_params cost;
};

struct tunnel_score_result {
	struct tunnel_score score;
	uint32_t lp;
	uint16_t cost;
};

/*
 * Score of the metrics m under p into *out (also on failure, when out is not
 * NULL).  b is taken as given: tunneld runs no throughput tests and idle
 * counters say nothing about capacity, so the daemon passes
 * b = max(smoothed throughput, B_ref) unless the operator declared a capacity.
 * Returns true when valid; false (total NaN) for NULL arguments, a NaN,
 * infinite or negative metric, a zero reference, a non-finite weight or a
 * non-finite result.
 */
bool tunnel_score_compute(const struct tunnel_score_params *p, const struct tunnel_metrics *m,
			  struct tunnel_score *out);

/*
 * LP = base + floor(scale * clamp(score, 0, max_score)), saturating at
 * UINT32_MAX.  The floor forgives 1e-9 (relative) of rounding error, so
 * decimal figures exact on paper give the paper's LP.  A NaN or infinite
 * score, a scale or max_score that is NaN, infinite or <= 0: base.
 * NULL p: 0.
 */
uint32_t tunnel_lp_from_score(const struct tunnel_lp_params *p, double score);

/*
 * The LP to apply before a tunnel is measured: base, the LP of a healthy
 * tunnel of score 0 or less.  An unmeasured tunnel is usable but draws no
 * traffic from measured ones, and with base 100 (BGP's default
 * local-preference) tunneld expresses no opinion until it has measured.
 * The daemon does not commit it to tunnel_policy, so the first measured
 * value is applied at once.  NULL p: 0.
 */
uint32_t tunnel_lp_neutral(const struct tunnel_lp_params *p);

/*
 * OSPF cost (1..65535) by p->mode:
 *   latency:   m->rtt_ms / 2 (seed 003: ping 20 ms -> cost 10);
 *   composite: beta*r + gamma/max(b_Mbit/s, TUNNEL_COST_MIN_MBPS) + delta*p;
 *   score:     minimum + (maximum - minimum) * (Smax - clamp(score, 0, Smax)) / Smax,
 *              with Smax = max_score (the LP's); Smax <= 0 gives minimum.
 * The real value is then passed to tunnel_cost_quantise().  The mode's inputs
 * that are NaN, infinite or negative (or m NULL when needed) give the maximum;
 * score is only read in score mode, m only in the others.  NULL p: 65535.
 */
uint16_t tunnel_cost_compute(const struct tunnel_cost_params *p, const struct tunnel_metrics *m,
			     double score, double max_score);

/*
 * A raw cost made an applied one: rounded to the nearest multiple of step
 * (ties up, so with step 1 it is round-half-up: 10.5 -> 11), at least step,
 * then clamped into [minimum, maximum] (minimum 0 counts as 1, maximum below
 * minimum as minimum, step 0 as 1).  Quantising the real value rather than a
 * rounded integer avoids double rounding.  NaN or infinite raw: maximum.
 * NULL p: 65535.
 */
uint16_t tunnel_cost_quantise(const struct tunnel_cost_params *p, double raw);

/*
 * The cost to apply before a tunnel is measured: the maximum, the cost of the
 * worst healthy tunnel (the mirror of tunnel_lp_neutral()).  Not committed to
 * tunnel_policy either.  NULL p: 65535.
 */
uint16_t tunnel_cost_neutral(const struct tunnel_cost_params *p);

/*
 * Score, LP and cost of m in one call (cost in score mode uses p->lp.max_score).
 * An invalid score gives base LP and, in score mode, the maximum cost; latency
 * and composite costs only need their own inputs to be valid.  Nothing when
 * out is NULL; NULL p or m fill *out as the functions above do (invalid score).
 */
void tunnel_score_evaluate(const struct tunnel_score_profile *p, const struct tunnel_metrics *m,
			   struct tunnel_score_result *out);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_SCORE_H */
