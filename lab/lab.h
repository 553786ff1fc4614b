/* lab/lab.h - cfwd-lab's engine: plays the exchanges on the other ends of cfwdd's spans
 * with its own libss7 instances (isup/node.h), originates calls with given facts, plays
 * the far end wherever a call arrives (answer, busy, no answer, unallocated), sends DTMF
 * as audio after answer, records received audio, and feeds every message seen to the
 * ladder printer (lab/ladder.h). Also the offered-load generator. */
#ifndef LAB_LAB_H
#define LAB_LAB_H

#include <stdbool.h>
#include <stdint.h>

/* echo: answer and loop the received audio back (bearer checks with --dtmf/--record) */
enum lab_far { LAB_FAR_ANSWER, LAB_FAR_BUSY, LAB_FAR_NOANSWER, LAB_FAR_UNALLOCATED,
	       LAB_FAR_ECHO };
int lab_far_parse(const char *s, enum lab_far *out);	/* 0 or -EINVAL */

struct lab_call_opts {
	const char *from, *to;
	const char *via;		/* linkset to originate on (default: by --from) */
	bool restricted;
	const char *redirected_from;	/* adds OCN, RGN and RI (CFU) to the IAM */
	int counter;			/* RI redirection counter with redirected_from */
	enum lab_far far;
	unsigned ring_ms;		/* far end: ACM -> ANM */
	const char *dtmf;		/* digits sent as audio after answer */
	unsigned hold_ms;		/* answered call held this long before REL */
	const char *record;		/* WAV file of the audio received by the caller */
	bool pattern;			/* --play-pattern: after answer the caller plays
					 * pattern_seed, the far end pattern_seed + 1; each
					 * side reports the longest exact run it heard */
	uint32_t pattern_seed;
	unsigned timeout_ms;		/* whole run */
	unsigned abandon_ms;		/* caller releases this long after the IAM if not
					 * answered (0: never) */
	uint16_t cic;			/* originate on this CIC (0: any) */
	uint16_t cross_cic;		/* when cfwdd's IAM reaches this CIC of the far
					 * linkset, seize it for the reverse call (to ->
					 * from) before reading the IAM: dual seizure */
};

struct lab_load_opts {
	unsigned rate;			/* call attempts per second */
	unsigned duration_ms;
	unsigned hold_ms;
	const char *from_prefix, *to_prefix;	/* numbers: prefix + 6-digit counter */
	const char *via;
	unsigned to_count;		/* >0: called numbers cycle through to_prefix +
					 * 000000 .. to_count-1 (a fixed set, e.g. provisioned
					 * subscribers); no IAM latency then */
	unsigned concurrent;		/* >0: closed loop, this many calls cycling
					 * (rate ignored) until duration_ms */
};

struct lab_load_result {
	uint64_t attempts, answered, failed, completed;
	int last_cause;			/* of the last failed attempt (0: none) */
	double rate;			/* completed cycles per second */
	uint32_t p50_us, p99_us, max_us;	/* IAM sent -> IAM received on the far span */
};

struct lab;
struct lab_init {
	const char *conf;		/* lab.conf */
	const char *conf_text;		/* used instead when conf is NULL (built-in default) */
	bool json;			/* ladder as JSON lines */
	bool quiet;			/* no ladder at all (load) */
	const char *pcap;
	const char *const *expect;	/* NULL-terminated "FIELD=VALUE" list */
};

/* Load config, open spans/links, wait until every link is up and reset. NULL with a
 * message on stderr. */
struct lab *lab_open(const struct lab_init *in);
void lab_close(struct lab *lab);

/* One call; returns the exit status: 0 ok, 1 expectation failed or timeout. */
int lab_call(struct lab *lab, const struct lab_call_opts *o);
int lab_load(struct lab *lab, const struct lab_load_opts *o, struct lab_load_result *r);

#endif
