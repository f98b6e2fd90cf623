// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Measurement arithmetic of a tunnel's probes: sequence numbers, the
 * matching of replies (late, lost, duplicated, reordered, spoofed), RTT,
 * jitter, loss and one-way delay with last / smoothed / min / max, a ring
 * of the last `window` samples, and throughput from byte counters.
 *
 * Standard C and libm only.  No clock is read here: every time is passed
 * in by the caller as nanoseconds of a monotonic clock (CLOCK_MONOTONIC).
 * Nothing is allocated: the caller embeds struct tunnel_quality and gives
 * it two arrays, the sample ring and the table of outstanding probes.
 */
#ifndef _TUNNELD_TUNNEL_QUALITY_H
#define _TUNNELD_TUNNEL_QUALITY_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The YANG ranges and defaults of the probe settings. */
#define TUNNEL_QUALITY_WINDOW_MIN     1
#define TUNNEL_QUALITY_WINDOW_MAX     3600
#define TUNNEL_QUALITY_WINDOW_DEFAULT 30
#define TUNNEL_QUALITY_ALPHA_DEFAULT  0.25

/* Size limits of the table of outstanding probes (a power of two). */
#define TUNNEL_QUALITY_PENDING_MIN 8
#define TUNNEL_QUALITY_PENDING_MAX 65536

/*
 * Outlier damping of the smoothed values (RTT, jitter, one-way delays):
 * a sample farther than max(K * deviation, FLOOR) from the smoothed value
 * enters the EWMA clipped to that distance, unless it is the RUN-th (or
 * later) consecutive outlier on the same side: then the level has really
 * moved and samples count in full.  "deviation" is the smoothed mean
 * absolute deviation (same alpha), as in TCP's RTTVAR (RFC 6298).
 * K = 4 is TCP's RTO multiplier: ordinary noise stays inside it.  The floor
 * keeps a perfectly steady path (deviation near 0) from treating 0.1 ms of
 * timer noise as an outlier.  RUN = 3: a single late probe gives one RTT
 * outlier and two jitter outliers (up, then back down), both absorbed.
 */
#define TUNNEL_QUALITY_OUTLIER_K	4
#define TUNNEL_QUALITY_OUTLIER_FLOOR_NS 1000000 /* 1 ms */
#define TUNNEL_QUALITY_OUTLIER_RUN	3

/* Unknown one-way delay in struct tunnel_sample. */
#define TUNNEL_SAMPLE_NO_DELAY INT64_MIN

/* struct tunnel_sample.flags */
#define TUNNEL_SAMPLE_LOST	0x01 /* no reply within the timeout: rtt_ns == -1 */
#define TUNNEL_SAMPLE_REORDERED 0x02 /* answered after a newer probe was */
#define TUNNEL_SAMPLE_ONEWAY	0x04 /* fwd_ns and back_ns are set */

/*
 * One completed probe in the history ring.  The ring is in completion
 * order: a lost probe enters when it expires, so it may follow replies to
 * newer probes; `seq` tells them apart.
 */
struct tunnel_sample {
	uint64_t sent_ns; /* caller's clock when the probe was sent */
	int64_t rtt_ns;	  /* round trip less the reflector's hold time; -1 lost */
	int64_t ipdv_ns;  /* |rtt - previous reply's rtt| (arrival order); -1 none */
	int64_t fwd_ns;	  /* one-way delays, TUNNEL_SAMPLE_NO_DELAY unless ONEWAY */
	int64_t back_ns;
	uint32_t seq;
	uint8_t flags;	  /* TUNNEL_SAMPLE_* */
};

/* One slot of the table of outstanding probes; opaque to the caller. */
struct tunnel_probe {
	uint64_t sent_ns;
	uint32_t seq;
	uint8_t state;
};

struct tunnel_quality_params {
	double alpha;	    /* EWMA weight of a new sample, (0, 1]; 0.25 fast, 0.1 calm */
	uint64_t timeout_ns; /* a probe not answered within this is lost; 1..INT64_MAX */
	uint16_t window;    /* probes that loss, min and max are over, 1..3600 */
	uint32_t first_seq; /* sequence number of the first probe (init only) */
};

/* Cumulative; kept by tunnel_quality_reset(). */
struct tunnel_quality_counters {
	uint64_t sent;	     /* probes registered with tunnel_quality_next_seq() */
	uint64_t received;   /* valid replies: SAMPLE and REORDERED */
	uint64_t lost;	     /* probes expired unanswered */
	uint64_t reordered;  /* REORDERED replies (also counted in received) */
	uint64_t duplicates; /* DUPLICATE replies */
	uint64_t late;	     /* LATE replies (the probe stays in lost) */
	uint64_t unknown;    /* UNKNOWN replies */
	uint64_t bogus;	     /* BOGUS replies */
};

/* The state behind one damped EWMA; internal. */
struct tunnel_smooth {
	double value; /* ns */
	double mdev;  /* ns, smoothed mean absolute deviation */
	int8_t side;  /* side of the current outlier run: -1, 0, +1 */
	uint8_t run;  /* length of that run */
	bool valid;
};

/*
 * Per tunnel, embedded by the caller.  The fields are internal: read them
 * through the functions below.
 */
struct tunnel_quality {
	double alpha;
	uint64_t timeout_ns;
	uint16_t window;

	struct tunnel_sample *ring;
	uint16_t ring_size;
	uint16_t ring_start; /* index of the oldest sample */
	uint16_t ring_count;
	uint16_t ring_lost; /* lost samples among ring_count */

	struct tunnel_probe *pending;
	uint32_t pending_size; /* power of two */
	uint32_t pending_known; /* slots holding a probe sent since the last reset */
	uint32_t next_seq;	/* sequence number of the next probe */
	uint32_t expire_seq;	/* oldest probe that may still be outstanding */
	uint32_t outstanding;	/* probes neither answered nor lost */
	uint32_t highest_seq;	/* newest probe answered since the last reset */
	bool have_highest;
	uint64_t last_sent_ns;

	struct tunnel_smooth rtt, jitter, fwd, back;
	int64_t last_rtt_ns, last_ipdv_ns, last_fwd_ns, last_back_ns;
	bool have_prev_rtt; /* last_rtt_ns is the reference of the next IPDV */

	double loss_smoothed, loss_min, loss_max; /* percent */
	bool loss_range_valid;

	uint32_t consecutive_lost;
	struct tunnel_quality_counters counters;
};

/* What a reply was; only SAMPLE and REORDERED produce a sample. */
enum tunnel_quality_verdict {
	TUNNEL_REPLY_SAMPLE,	/* first reply to the newest answered probe so far */
	TUNNEL_REPLY_REORDERED, /* first reply, but a newer probe was answered before */
	TUNNEL_REPLY_DUPLICATE, /* the probe was answered already */
	TUNNEL_REPLY_LATE,	/* the probe was declared lost already; it stays lost */
	TUNNEL_REPLY_UNKNOWN,	/* never sent, or too old to remember: spoofed or stale */
	TUNNEL_REPLY_BOGUS,	/* reflector's hold time longer than the round trip */
};

/* What the reflector said besides the sequence number; NULL = all zero. */
struct tunnel_reply_info {
	uint64_t reflector_hold_ns; /* reflector's transmit less receive time; 0 for ICMP */
	bool oneway_valid; /* both clocks claim sync: fwd_ns and back_ns are meaningful */
	int64_t fwd_ns;	   /* reflector receive less our send time (may be < 0) */
	int64_t back_ns;   /* our receive less reflector transmit time */
};

/* One metric ready for display, in ms (RTT, jitter, one-way) or percent (loss). */
struct tunnel_metric {
	double last;	  /* newest sample (loss: over the window now) */
	double smoothed;  /* damped EWMA (loss: plain EWMA of `last`) */
	double min, max;  /* over the window, see tunnel_quality_metric(); NaN if samples == 0 */
	uint16_t samples; /* samples in the window behind min and max */
	bool valid;	  /* false: never measured, every field is 0 */
};

enum tunnel_metric_id {
	TUNNEL_METRIC_RTT,
	TUNNEL_METRIC_JITTER,
	TUNNEL_METRIC_LOSS,
	TUNNEL_METRIC_FWD,  /* one-way delay towards the reflector */
	TUNNEL_METRIC_BACK, /* one-way delay back from it */
	TUNNEL_METRIC_MAX,
};

/*
 * prev + alpha * (sample - prev).  A NaN or infinite sample, or an alpha
 * outside (0, 1], leaves prev unchanged; a NaN prev (no value yet) gives
 * the sample.
 */
double tunnel_ewma(double prev, double sample, double alpha);

/* Fill p with the defaults: alpha 0.25, window 30, timeout 2 s, first_seq 0. */
void tunnel_quality_params_default(struct tunnel_quality_params *p);

/*
 * Outstanding-probe table size for a probe interval and timeout (ns):
 * the power of two >= 2 * ceil(timeout / interval) + 1, so every probe
 * within its timeout has a slot and a reply up to about one more timeout
 * later is still recognised as LATE (not UNKNOWN).  Clamped to
 * [TUNNEL_QUALITY_PENDING_MIN, TUNNEL_QUALITY_PENDING_MAX]; 1 s / 2 s
 * gives 8, 10 ms / 60 s gives 16384.  interval_ns == 0 gives the maximum.
 */
uint32_t tunnel_quality_pending_size(uint64_t interval_ns, uint64_t timeout_ns);

/*
 * Start measuring.  ring has ring_size >= p->window entries, pending has
 * pending_size entries, a power of two in [1, TUNNEL_QUALITY_PENDING_MAX]
 * (see tunnel_quality_pending_size()); both stay owned by the caller and
 * in use until the next reinit.  Their contents need no initialisation.
 * The first probe gets p->first_seq (pick it at random).
 * Returns 0, -EINVAL for NULL or out-of-range arguments (q is then
 * untouched), -ENOSPC when ring_size < p->window.
 */
int tunnel_quality_init(struct tunnel_quality *q, struct tunnel_sample *ring,
			uint16_t ring_size, struct tunnel_probe *pending,
			uint32_t pending_size, const struct tunnel_quality_params *p);

/*
 * New alpha, timeout and window (p->first_seq is ignored).  A smaller
 * window drops the oldest samples; a window larger than the ring needs
 * tunnel_quality_reinit().  Outstanding probes keep their send times: a
 * new timeout applies to them at the next expiry.  Returns 0, -EINVAL,
 * -ENOSPC (window > ring size; nothing changed).
 */
int tunnel_quality_set_params(struct tunnel_quality *q, const struct tunnel_quality_params *p);

/*
 * Move to new arrays and parameters, keeping everything measured: smoothed
 * values, counters, the newest min(samples, p->window) samples and the
 * outstanding probes.  If more probes are outstanding than the new table
 * holds, the oldest count as lost now.  The new arrays must not overlap
 * the old ones, except that passing the current array with its current
 * size keeps it.  The caller frees the old arrays afterwards.
 * Returns 0, or -EINVAL / -ENOSPC (as init) with q unchanged.
 */
int tunnel_quality_reinit(struct tunnel_quality *q, struct tunnel_sample *ring,
			  uint16_t ring_size, struct tunnel_probe *pending,
			  uint32_t pending_size, const struct tunnel_quality_params *p);

/*
 * The tunnel was re-created: restart the sequence tracking at first_seq.
 * Outstanding probes are forgotten (not counted as lost; a late reply to
 * one is UNKNOWN), and so are the references that pair a new probe with
 * an old one: the previous RTT of the next jitter sample, the outlier
 * runs, consecutive_lost.  Kept: cumulative counters, smoothed values,
 * the sample ring and with it the window's last/min/max, so the tunnel's
 * metrics (and the routes they drive) do not jump.
 */
void tunnel_quality_reset(struct tunnel_quality *q, uint32_t first_seq);

/*
 * Register a probe as sent at now_ns; returns its sequence number (the
 * previous one plus 1, modulo 2^32).  Expires overdue probes first.  If
 * pending_size probes are outstanding, the oldest counts as lost now.
 * A now_ns earlier than the previous send counts as that send's time.
 */
uint32_t tunnel_quality_next_seq(struct tunnel_quality *q, uint64_t now_ns);

/*
 * Turn outstanding probes sent more than timeout before now_ns into lost
 * samples, oldest first.  Returns how many.  Amortised O(1) per probe.
 */
uint32_t tunnel_quality_expire(struct tunnel_quality *q, uint64_t now_ns);

/*
 * A reply to probe seq arrived at now_ns.  Overdue probes are expired
 * first, so a reply after the timeout is LATE even if the caller's expiry
 * timer has not run yet; a reply exactly at the timeout is still in time.
 * RTT = now - sent - ri->reflector_hold_ns; a hold longer than now - sent
 * is BOGUS.  Only SAMPLE and REORDERED change the measurements; every
 * verdict is counted.  A reply that is not SAMPLE or REORDERED leaves the
 * probe outstanding (a forged reply cannot steal the genuine one's sample).
 * ri may be NULL (ICMP).  One-way delays are taken when ri->oneway_valid
 * and neither is TUNNEL_SAMPLE_NO_DELAY.  q == NULL gives UNKNOWN.
 */
enum tunnel_quality_verdict tunnel_quality_reply(struct tunnel_quality *q, uint32_t seq,
						 uint64_t now_ns,
						 const struct tunnel_reply_info *ri);

/* "sample", "reordered", "duplicate", "late", "unknown", "bogus"; "?" otherwise. */
const char *tunnel_quality_verdict_name(enum tunnel_quality_verdict v);

/*
 * Fill m with one metric; returns m->valid.
 *  RTT, FWD, BACK: last = newest reply, smoothed = damped EWMA;
 *    min/max over the replies in the ring.
 *  JITTER: per reply |rtt - rtt of the reply before it| (arrival order,
 *    not across a reset); last, damped EWMA; min/max over the ring.
 *  LOSS: last = lost / completed probes in the ring, in percent; smoothed
 *    = last until the ring holds `window` probes, then an EWMA of last per
 *    completed probe; min/max = the range of last since the window was
 *    first full (restarted by a window change), until then both = last.
 *    samples = completed probes in the ring.
 * valid is false (and all is zero) until the first sample of that metric.
 */
bool tunnel_quality_metric(const struct tunnel_quality *q, enum tunnel_metric_id id,
			   struct tunnel_metric *m);

/* Cumulative counters; never NULL for a valid q. */
const struct tunnel_quality_counters *tunnel_quality_counters(const struct tunnel_quality *q);

/* Probes lost in a row since the last valid reply (SAMPLE or REORDERED). */
uint32_t tunnel_quality_consecutive_lost(const struct tunnel_quality *q);

/* Probes sent and neither answered nor expired yet. */
uint32_t tunnel_quality_outstanding(const struct tunnel_quality *q);

/* Samples in the history ring, at most the window. */
uint16_t tunnel_quality_history_count(const struct tunnel_quality *q);

/* History sample idx, 0 = oldest; NULL when idx >= the count. */
const struct tunnel_sample *tunnel_quality_history(const struct tunnel_quality *q, uint16_t idx);

/*
 * Throughput from a kernel byte counter (e.g. rtnl_link_stats64 tx_bytes).
 * Zero-initialise or tunnel_rate_init() before the first update.
 */
struct tunnel_rate {
	uint64_t base_bytes;
	uint64_t base_ns;
	double last_bps;     /* bit/s between the last two updates */
	double smoothed_bps; /* EWMA of last_bps */
	bool have_base;
	bool valid; /* last_bps and smoothed_bps hold a sample */
};

void tunnel_rate_init(struct tunnel_rate *r);

/*
 * Counter value `bytes` read at now_ns.  The first call only sets the
 * baseline; so does a counter (or clock) that went backwards, e.g. an
 * interface re-created, without producing a sample.  now_ns equal to the
 * baseline's time is ignored.  Otherwise last_bps = 8 * delta bytes / dt
 * and smoothed_bps = tunnel_ewma(smoothed, last, alpha) (= last the first
 * time).  Returns 1 with a new sample, 0 without, -EINVAL for NULL r or
 * alpha outside (0, 1] (r unchanged).
 */
int tunnel_rate_update(struct tunnel_rate *r, uint64_t bytes, uint64_t now_ns, double alpha);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_QUALITY_H */
