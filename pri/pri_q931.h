/* pri/pri_q931.h - a small Q.931 decoder for ladders: one Q.921 I-frame (FCS stripped)
 * to a view of its Q.931 message (type, call reference, channel, cause, progress, and the
 * called / calling / redirecting numbers with their indicators), printed as a ladder line
 * or a JSON object, the way cfwd-lab prints ISUP. Bounds-checked; knows no libpri.
 * Q.921 supervisory/unnumbered frames (RR, SABME, UA...) are not messages: -ENOMSG. */
#ifndef PRI_PRI_Q931_H
#define PRI_PRI_Q931_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRI_Q931_NUM 32

struct pri_q931_num {
	bool present;
	char digits[PRI_Q931_NUM];
	int ton;		/* type of number (0 unknown, 1 international, 2 national, 4 subscriber) */
	int pres, screen;	/* -1 when the octet is absent */
	int reason;		/* redirecting number only, else -1 */
};

struct pri_q931_view {
	uint8_t msg_type;
	uint16_t cr;		/* call reference value */
	bool cr_to_originator;	/* flag bit: sent by the side that did not originate */
	int chan;		/* B-channel from Channel identification, -1 absent */
	bool exclusive;
	int cause, cause_loc;	/* -1 absent */
	int progress;		/* progress description, -1 absent */
	int bearer;		/* information transfer capability, -1 absent */
	struct pri_q931_num called, calling, rgn;
	bool sending_complete, facility, notify, keypad, display;
};

/* 0, -ENOMSG (not an I-frame with a Q.931 message), -EINVAL (malformed). */
int pri_q931_decode(const uint8_t *frame, size_t len, struct pri_q931_view *v);
const char *pri_q931_msg_name(uint8_t msg_type);	/* "SETUP"; "MSG-0xNN" if unknown */
/* "  1.234 pbx    cr=1    ->  SETUP  chan=2 called=... calling=...(restricted,network)
 * rgn=...(restricted) reason=15" (sent: the printer's side sent it). Returns the length
 * snprintf would have written. */
int pri_q931_format_line(char *buf, size_t len, uint64_t t_ms, const char *trunk, bool sent,
			 const struct pri_q931_view *v);
int pri_q931_format_json(char *buf, size_t len, uint64_t t_ms, const char *trunk, bool sent,
			 const struct pri_q931_view *v);

#endif
