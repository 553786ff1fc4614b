/* feature/cfwd/billing.h - the billing record model of SERVICE.md §7 and its CSV form.
 * An answered forwarded call makes two records (caller -> subscriber billed to the
 * caller, subscriber -> forward-to billed to the subscriber); an unanswered leg makes
 * none; 142 is free; remote control is billed to the caller. Pure: storing is store.h's
 * store_cdr_add(); turning call events into a billing_call is the daemon's job. */
#ifndef CFWD_BILLING_H
#define CFWD_BILLING_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "feature/cfwd/store.h"

enum billing_leg {
	BILLING_LEG_CALLER,	/* caller -> subscriber, billed to the caller */
	BILLING_LEG_FORWARD,	/* subscriber -> forward-to, billed to the subscriber */
	BILLING_LEG_REMOTE,	/* caller -> remote-control access number, billed to the caller */
};
const char *billing_leg_name(enum billing_leg leg);	/* "caller", "forward", "remote" */
int billing_leg_parse(const char *s, enum billing_leg *out);	/* 0 or -EINVAL */

struct billing_record {
	int64_t id;			/* set by store_cdr_add() */
	char call_ref[32];		/* the same for both legs of one call */
	enum billing_leg leg;
	char billed[CFWD_NUM_SIZE];	/* who pays */
	char from[CFWD_NUM_SIZE];
	char to[CFWD_NUM_SIZE];
	time_t start_s;			/* seizure (IAM) */
	time_t answer_s;		/* answer (ANM/CON); always set: unanswered legs have no record */
	time_t end_s;			/* release */
	uint32_t duration_s;		/* end - answer */
};

enum billing_call_kind {
	BILLING_CALL_DIRECT,		/* reached the subscriber, not forwarded */
	BILLING_CALL_FORWARDED,		/* diverted to forward_to */
	BILLING_CALL_142,		/* customer control: free */
	BILLING_CALL_REMOTE,		/* remote control access */
};

/* The facts of one finished call, as the daemon saw them. */
struct billing_call {
	enum billing_call_kind kind;
	const char *call_ref;
	const char *caller;		/* calling party number (also when withheld) */
	const char *called;		/* the subscriber, or the access number for REMOTE */
	const char *forward_to;		/* FORWARDED only */
	time_t start_s;
	time_t answer_s;		/* 0 = never answered */
	time_t end_s;
};

/* Fills out[0..n-1] and returns n (0..2), or -EINVAL for inconsistent facts. */
int billing_records_for_call(const struct billing_call *call, struct billing_record out[2]);

/* CSV (RFC 4180, times as UTC ISO 8601):
 * id,call_ref,leg,billed,from,to,start,answer,end,duration_s */
int billing_csv_header(FILE *f);
int billing_csv_row(FILE *f, const struct billing_record *rec);
/* Every record of the store, header first. 0 or -errno. */
int billing_export_csv(struct store *st, FILE *f);

#endif
