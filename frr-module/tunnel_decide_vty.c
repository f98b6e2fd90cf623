// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * show tunnel decisions: what tunneld decided for each tunnel and why.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/json.h"
#include "lib/vty.h"

#include "tunneld/tunnel_actuator.h"
#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_decide.h"
#include "tunneld/tunnel_decide_vty.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunneld.h"

#include "tunneld/tunnel_decide_vty_clippy.c"

#define NSEC_PER_SEC 1000000000ULL

/* One knob: the policy's target, what the daemon has, and what holds it. */
struct knob_view {
	bool used;
	bool has_target;
	uint32_t target;
	bool has_applied;
	uint32_t applied;
	const char *held_by;
	const char *reason;
	uint32_t next_change_in_s;
	uint64_t changes;
	int64_t last_change_age_s; /* -1: never */
	char error[128];
};

static void knob_view(const struct tunnel *tun, enum tunnel_channel c, struct knob_view *k)
{
	const struct tunnel_decision *dec = tun->dec;
	const struct tunnel_policy_channel_decision *cd = &dec->last.ch[c];
	const struct tunnel_policy_channel *ch = &dec->st.ch[c];
	struct tunnel_actuator_status st = {};
	uint64_t now = tunnel_clock_mono_ns();

	memset(k, 0, sizeof(*k));
	k->last_change_age_s = -1;
	k->used = c == TUNNEL_CHANNEL_LP
			  ? tun->cfg.bgp.route_map[0] != '\0'
			  : tun->cfg.ospf_dynamic_cost || tun->cfg.ospf6_dynamic_cost;
	if (!k->used)
		return;
	if (c == TUNNEL_CHANNEL_LP)
		tunnel_actuator_status(tun, TUNNEL_ACT_BGP, &st);
	else
		tunnel_actuator_status(tun, tun->cfg.ospf_dynamic_cost ? TUNNEL_ACT_OSPF
								  : TUNNEL_ACT_OSPF6,
				       &st);
	if (dec->evaluated && cd->used) {
		k->has_target = true;
		k->target = cd->target;
		k->held_by = tunnel_held_by_name(cd->held_by);
		k->reason = cd->reason;
		k->next_change_in_s = cd->next_change_in_s;
	} else if (st.wanted_set) {
		/* Not measured yet: the neutral value the actuator holds. */
		k->has_target = true;
		k->target = st.wanted;
		k->held_by = tunnel_held_by_name(TUNNEL_HELD_NONE);
		k->reason = "neutral, not measured yet";
	} else {
		k->held_by = tunnel_held_by_name(TUNNEL_HELD_NONE);
		k->reason = "not measured yet";
	}
	if (tunneld_globals.dry_run && k->has_target && (!st.applied_set || st.applied != k->target))
		k->held_by = tunnel_held_by_name(TUNNEL_HELD_DRY_RUN);
	k->has_applied = st.applied_set;
	k->applied = st.applied;
	k->changes = ch->changes;
	if (ch->has_applied && ch->changes)
		k->last_change_age_s = (now - ch->last_change_ns) / NSEC_PER_SEC;
	strlcpy(k->error, st.last_error, sizeof(k->error));
}

static json_object *knob_json(const struct knob_view *k)
{
	json_object *j = json_object_new_object();

	if (k->has_target)
		json_object_int_add(j, "target", k->target);
	else
		json_object_object_add(j, "target", NULL);
	if (k->has_applied)
		json_object_int_add(j, "applied", k->applied);
	else
		json_object_object_add(j, "applied", NULL);
	json_object_string_add(j, "heldBy", k->held_by);
	json_object_string_add(j, "reason", k->reason);
	json_object_int_add(j, "nextChangeInS", k->next_change_in_s);
	json_object_int_add(j, "changes", k->changes);
	if (k->last_change_age_s >= 0)
		json_object_int_add(j, "lastChangeAgeS", k->last_change_age_s);
	else
		json_object_object_add(j, "lastChangeAgeS", NULL);
	if (k->error[0])
		json_object_string_add(j, "lastError", k->error);
	return j;
}

static const char *state_name(const struct tunnel *tun)
{
	const struct tunnel_decision *dec = tun->dec;

	if (dec->evaluated)
		return tunnel_health_state_name(dec->last.state);
	return tun->meas->liveness == TUNNEL_ALIVE ? "healthy" : "down";
}

static void decisions_json(json_object *jt, const struct tunnel *tun)
{
	const struct tunnel_decision *dec = tun->dec;
	struct knob_view lp, cost;
	json_object *j = json_object_new_object(), *js, *jc;
	const struct knob_view *held;

	knob_view(tun, TUNNEL_CHANNEL_LP, &lp);
	knob_view(tun, TUNNEL_CHANNEL_COST, &cost);
	json_object_string_add(j, "state", state_name(tun));
	json_object_string_add(j, "liveness", tunnel_liveness_name(tun->meas->liveness));
	js = json_object_new_object();
	if (dec->measured) {
		jc = json_object_new_object();
		json_object_double_add(js, "total", dec->result.score.total);
		json_object_double_add(jc, "bandwidth", dec->result.score.bandwidth);
		json_object_double_add(jc, "rtt", dec->result.score.rtt);
		json_object_double_add(jc, "jitter", dec->result.score.jitter);
		json_object_double_add(jc, "loss", dec->result.score.loss);
		json_object_object_add(js, "components", jc);
		jc = json_object_new_object();
		json_object_double_add(jc, "rttMs", dec->metrics.rtt_ms);
		json_object_double_add(jc, "jitterMs", dec->metrics.jitter_ms);
		json_object_double_add(jc, "lossPct", dec->metrics.loss * 100);
		json_object_double_add(jc, "bandwidthBps", dec->metrics.bandwidth_bps);
		json_object_object_add(js, "inputs", jc);
	} else {
		json_object_object_add(js, "total", NULL);
	}
	json_object_object_add(j, "score", js);
	if (cost.used)
		json_object_object_add(j, "ospfCost", knob_json(&cost));
	if (lp.used)
		json_object_object_add(j, "localPreference", knob_json(&lp));
	/* The tunnel's summary: what holds its first held knob. */
	held = strcmp(cost.held_by ?: "none", "none") ? &cost : &lp;
	json_object_string_add(j, "heldBy", held->held_by ?: "none");
	json_object_int_add(j, "nextChangeInS", MAX(lp.next_change_in_s, cost.next_change_in_s));
	if (lp.last_change_age_s >= 0 || cost.last_change_age_s >= 0)
		json_object_int_add(j, "lastChangeAgeS",
				    lp.last_change_age_s < 0	 ? cost.last_change_age_s
				    : cost.last_change_age_s < 0 ? lp.last_change_age_s
								 : MIN(lp.last_change_age_s,
								       cost.last_change_age_s));
	else
		json_object_object_add(j, "lastChangeAgeS", NULL);
	json_object_int_add(j, "changes", lp.changes + cost.changes);
	json_object_object_add(jt, tun->name, j);
}

static void knob_text(struct vty *vty, const char *label, const struct knob_view *k)
{
	if (!k->used)
		return;
	vty_out(vty, "  %-17s ", label);
	if (k->has_target)
		vty_out(vty, "target %-6u", k->target);
	else
		vty_out(vty, "target %-6s", "-");
	if (k->has_applied)
		vty_out(vty, " applied %-6u", k->applied);
	else
		vty_out(vty, " applied %-6s", "-");
	vty_out(vty, " held by %-9s (%s)", k->held_by, k->reason);
	if (k->next_change_in_s)
		vty_out(vty, ", next change in %u s", k->next_change_in_s);
	vty_out(vty, ", %" PRIu64 " change%s", k->changes, k->changes == 1 ? "" : "s");
	if (k->last_change_age_s >= 0)
		vty_out(vty, ", last %" PRId64 " s ago", k->last_change_age_s);
	if (k->error[0])
		vty_out(vty, "; daemon said: %s", k->error);
	vty_out(vty, "\n");
}

static void decisions_text(struct vty *vty, const struct tunnel *tun)
{
	const struct tunnel_decision *dec = tun->dec;
	struct knob_view lp, cost;

	knob_view(tun, TUNNEL_CHANNEL_LP, &lp);
	knob_view(tun, TUNNEL_CHANNEL_COST, &cost);
	vty_out(vty, "Tunnel %s: %s, %s\n", tun->name, state_name(tun),
		tunnel_liveness_name(tun->meas->liveness));
	if (dec->measured) {
		char line[256];

		tunnel_score_format(line, sizeof(line), &dec->result.score, &dec->metrics);
		vty_out(vty, "  Score %s\n", line);
	} else
		vty_out(vty, "  Score: not measured yet\n");
	knob_text(vty, "OSPF cost", &cost);
	knob_text(vty, "Local-preference", &lp);
	if (!lp.used && !cost.used)
		vty_out(vty, "  Routing: not driven (no ospf/ospf6 dynamic-cost, no bgp route-map)\n");
}

DEFPY(show_tunnel_decisions, show_tunnel_decisions_cmd,
      "show tunnel decisions [json$json]",
      SHOW_STR
      "Tunnels of tunneld\n"
      "Routing decisions: scores, costs, local-preference and what holds them\n"
      JSON_STR)
{
	const struct tunnel *tun;

	if (json) {
		json_object *js = json_object_new_object(), *jt = json_object_new_object();
		json_object *ja = json_object_new_object();

		json_object_boolean_add(js, "dryRun", tunneld_globals.dry_run);
		json_object_int_add(js, "changeBudgetPerMinute", tunneld_globals.change_budget);
		json_object_int_add(js, "changeBudgetLeft", tunnel_decide_budget_tokens());
		tunnel_actuator_show(vty, ja);
		json_object_object_add(js, "daemons", ja);
		frr_each (tunnels_const, &tunnels, tun)
			decisions_json(jt, tun);
		json_object_object_add(js, "tunnels", jt);
		vty_json(vty, js);
		return CMD_SUCCESS;
	}
	vty_out(vty, "Dry run: %s; change budget %u per minute, %u left now\n",
		tunneld_globals.dry_run ? "on (nothing is applied)" : "off",
		tunneld_globals.change_budget, tunnel_decide_budget_tokens());
	tunnel_actuator_show(vty, NULL);
	vty_out(vty, "\n");
	frr_each (tunnels_const, &tunnels, tun)
		decisions_text(vty, tun);
	return CMD_SUCCESS;
}

void tunnel_decide_vty_init(void)
{
	install_element(VIEW_NODE, &show_tunnel_decisions_cmd);
}
