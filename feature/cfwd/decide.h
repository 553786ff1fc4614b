/* feature/cfwd/decide.h - the forwarding decision for a call to a subscriber
 * (SERVICE.md §6, notes/ISUP-libss7.md §1): a pure function of the subscriber record,
 * the incoming call's facts, the subscriber leg's outcome so far and the config.
 * It says what to do and, for a diversion, the redirection values of the onward IAM.
 * It does no I/O: the caller looks up the record and the rejection list beforehand. */
#ifndef CFWD_DECIDE_H
#define CFWD_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/cfwd/store.h"

#define CFWD_REDIR_NUM_SIZE 50 /* as libss7's event strings: 49 digits + NUL */

/* Address presentation restriction indicator, Q.763 coding. */
enum cfwd_pres {
	CFWD_PRES_ALLOWED = 0,
	CFWD_PRES_RESTRICTED = 1,
	CFWD_PRES_UNAVAILABLE = 2,
};

/* Redirecting reasons (Q.763 §3.45). */
enum cfwd_reason {
	CFWD_REASON_UNKNOWN = 0,
	CFWD_REASON_BUSY = 1,
	CFWD_REASON_NO_REPLY = 2,
	CFWD_REASON_UNCONDITIONAL = 3,
};
#define CFWD_RI_DIVERTED 3 /* redirecting indicator "call diverted" */
#define CFWD_RI_DIVERTED_RESTRICTED 4 /* "..., all redirection info presentation restricted" */

/* What the subscriber leg has done so far. */
enum cfwd_leg {
	CFWD_LEG_NONE, /* the IAM just arrived: no subscriber leg yet */
	CFWD_LEG_BUSY, /* subscriber leg released with cause 17 (or known busy) */
	CFWD_LEG_NO_REPLY, /* our CFNR ring timer expired while alerting */
	CFWD_LEG_ANSWERED,
	CFWD_LEG_RELEASED, /* released with another cause (leg_cause) */
};

struct cfwd_call_facts {
	const char *calling; /* may be "" or NULL when absent */
	enum cfwd_pres calling_pres;
	bool caller_rejected; /* calling number is on the rejection list */
	bool ri_present; /* incoming IAM had Redirection Information */
	uint8_t ri_ind, ri_orig_reason, ri_counter, ri_reason;
	const char *ocn; /* incoming Original Called Number ("" / NULL: none) */
	enum cfwd_pres ocn_pres;
	const char *rgn; /* incoming Redirecting Number */
	enum cfwd_pres rgn_pres;
	enum cfwd_leg leg;
	uint8_t leg_cause; /* CFWD_LEG_RELEASED: the subscriber leg's cause */
};

struct cfwd_decide_conf {
	unsigned counter_limit; /* 1..5, default 5 */
	uint8_t cfu_limit_cause; /* CFU at the limit, default 18 */
	uint8_t reject_cause; /* Number Request / rejection list, default 21 */
	bool number_request_announce; /* play the announcement, then release */
	bool reject_list_announce;
};
void cfwd_decide_conf_default(struct cfwd_decide_conf *c);
/* [service] redirection_limit = 1..5, cfu_limit_cause = 1..127, reject_cause = 1..127,
 * number_request_treatment = release|announce, reject_list_treatment = release|announce.
 * Absent keys keep *dc's values. 0 or -EINVAL with "file:line: ..." in err. */
struct conf;
int cfwd_decide_conf_load(struct conf *c, struct cfwd_decide_conf *dc, char *err, size_t errlen);

enum cfwd_action {
	CFWD_ACT_REJECT, /* release (after an announcement if .announce) with .cause */
	CFWD_ACT_OFFER, /* route to the subscriber; .ring_ms, .divert_on_busy */
	CFWD_ACT_DIVERT, /* onward leg to .redir.called; drop the subscriber leg */
	CFWD_ACT_RELEASE, /* release towards the caller with .cause */
	CFWD_ACT_CONTINUE, /* leave the call as it is (answered, or ringing on) */
};
const char *cfwd_action_name(enum cfwd_action a);

enum cfwd_why {
	CFWD_WHY_NUMBER_REQUEST, /* 非通知拒否: caller withheld / unavailable */
	CFWD_WHY_REJECT_LIST, /* 着信拒否 */
	CFWD_WHY_NO_SERVICE, /* service not active or condition off */
	CFWD_WHY_CFU,
	CFWD_WHY_CFB,
	CFWD_WHY_CFNR,
	CFWD_WHY_WATCH, /* offered with CFNR and/or CFB armed */
	CFWD_WHY_LIMIT, /* counter limit reached: not diverted */
	CFWD_WHY_ANSWERED, /* answered calls are never diverted */
	CFWD_WHY_LEG_CAUSE, /* the subscriber leg's own release */
};
const char *cfwd_why_name(enum cfwd_why w);

struct cfwd_redir {
	char called[CFWD_REDIR_NUM_SIZE]; /* the forward-to number */
	char ocn[CFWD_REDIR_NUM_SIZE];
	enum cfwd_pres ocn_pres;
	char rgn[CFWD_REDIR_NUM_SIZE]; /* the subscriber */
	enum cfwd_pres rgn_pres;
	uint8_t ind, orig_reason, counter, reason;
};

struct cfwd_decision {
	enum cfwd_action action;
	enum cfwd_why why;
	uint8_t cause; /* REJECT, RELEASE */
	bool announce; /* REJECT */
	uint32_t ring_ms; /* OFFER: CFNR ring timer, 0 = none */
	bool divert_on_busy; /* OFFER: a busy leg will be diverted */
	struct cfwd_redir redir; /* DIVERT; the calling number is copied unchanged */
};

/* 0, or -EINVAL (NULL argument, bad config, number too long). Never touches *sub. */
int cfwd_decide(const struct cfwd_sub *sub, const struct cfwd_call_facts *call,
		const struct cfwd_decide_conf *conf, struct cfwd_decision *out);

#endif
