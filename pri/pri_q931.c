/* pri/pri_q931.c - Q.931 message view for ladders (see pri_q931.h): Q.921 I-frame ->
 * protocol discriminator 0x08, call reference, message type, then the codeset-0
 * information elements we show (Q.931 4.5). Every length is checked against the frame;
 * unknown IEs are skipped, a truncated IE makes the frame malformed. */
#include "pri/pri_q931.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define Q931_PD 0x08

static const struct {
	uint8_t type;
	const char *name;
} msg_names[] = {
	{ 0x01, "ALERTING" }, { 0x02, "CALL PROCEEDING" }, { 0x03, "PROGRESS" },
	{ 0x05, "SETUP" }, { 0x07, "CONNECT" }, { 0x0d, "SETUP ACKNOWLEDGE" },
	{ 0x0f, "CONNECT ACKNOWLEDGE" }, { 0x45, "DISCONNECT" }, { 0x46, "RESTART" },
	{ 0x4d, "RELEASE" }, { 0x4e, "RESTART ACKNOWLEDGE" }, { 0x5a, "RELEASE COMPLETE" },
	{ 0x62, "FACILITY" }, { 0x6e, "NOTIFY" }, { 0x75, "STATUS ENQUIRY" },
	{ 0x7b, "INFORMATION" }, { 0x7d, "STATUS" },
};

const char *pri_q931_msg_name(uint8_t msg_type)
{
	static char unknown[16];

	for (size_t i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (msg_names[i].type == msg_type)
			return msg_names[i].name;
	snprintf(unknown, sizeof(unknown), "MSG-0x%02x", msg_type);
	return unknown;
}

/* Number IEs: octet 3 type/plan, 3a presentation/screening, 3b reason (redirecting). */
static void ie_number(struct pri_q931_num *n, const uint8_t *d, size_t len, bool redirecting)
{
	size_t i = 1, k = 0;

	memset(n, 0, sizeof(*n));
	n->pres = n->screen = n->reason = -1;
	if (!len)
		return;
	n->present = true;
	n->ton = (d[0] >> 4) & 0x07;
	if (!(d[0] & 0x80) && len > 1) {
		n->pres = (d[1] >> 5) & 0x03;
		n->screen = d[1] & 0x03;
		i = 2;
		if (redirecting && !(d[1] & 0x80) && len > 2) {
			n->reason = d[2] & 0x0f;
			i = 3;
		}
	}
	for (; i < len && k + 1 < sizeof(n->digits); i++) {
		char c = (char)(d[i] & 0x7f);

		if ((c >= '0' && c <= '9') || c == '*' || c == '#')
			n->digits[k++] = c;
	}
	n->digits[k] = '\0';
}

static void ie_decode(struct pri_q931_view *v, uint8_t id, const uint8_t *d, size_t len)
{
	switch (id) {
	case 0x04:	/* bearer capability */
		if (len)
			v->bearer = d[0] & 0x1f;
		break;
	case 0x08:	/* cause: location, (recommendation), value */
		if (len >= 2) {
			size_t i = (d[0] & 0x80) ? 1 : 2;

			v->cause_loc = d[0] & 0x0f;
			if (i < len)
				v->cause = d[i] & 0x7f;
		}
		break;
	case 0x18:	/* channel identification (PRI: the channel number is last) */
		if (len >= 3 && (d[0] & 0x20)) {
			v->chan = d[len - 1] & 0x7f;
			v->exclusive = d[0] & 0x08;
		}
		break;
	case 0x1c:
		v->facility = true;
		break;
	case 0x1e:	/* progress indicator: description in octet 4 */
		if (len >= 2)
			v->progress = d[1] & 0x7f;
		break;
	case 0x27:
		v->notify = true;
		break;
	case 0x28:
		v->display = true;
		break;
	case 0x2c:
		v->keypad = true;
		break;
	case 0x6c:
		ie_number(&v->calling, d, len, false);
		break;
	case 0x70:
		ie_number(&v->called, d, len, false);
		break;
	case 0x74:
		ie_number(&v->rgn, d, len, true);
		break;
	default:
		break;
	}
}

static int ies_decode(struct pri_q931_view *v, const uint8_t *p, size_t len)
{
	int codeset = 0, once = -1;	/* locking shift / non-locking shift (next IE) */
	size_t i = 0;

	while (i < len) {
		uint8_t b = p[i];
		int cs;

		if (b & 0x80) {		/* single octet IE */
			if ((b & 0xf0) == 0x90 && (b & 0x08))
				once = b & 0x07;
			else if ((b & 0xf0) == 0x90)
				codeset = b & 0x07;
			else if (b == 0xa1)
				v->sending_complete = true;
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return -EINVAL;
		cs = once >= 0 ? once : codeset;
		once = -1;
		if (cs == 0)
			ie_decode(v, b, p + i + 2, p[i + 1]);
		i += 2 + (size_t)p[i + 1];
	}
	return 0;
}

int pri_q931_decode(const uint8_t *frame, size_t len, struct pri_q931_view *v)
{
	const uint8_t *p;
	size_t n, crlen;

	memset(v, 0, sizeof(*v));
	v->chan = v->cause = v->cause_loc = v->progress = v->bearer = -1;
	v->called.pres = v->calling.pres = v->rgn.pres = -1;
	if (len < 4 || (frame[2] & 0x01))	/* address (2), I-frame control (2) */
		return -ENOMSG;
	p = frame + 4;
	n = len - 4;
	if (n < 3 || p[0] != Q931_PD)
		return -ENOMSG;
	crlen = p[1] & 0x0f;
	if (crlen > 2 || n < 3 + crlen)
		return -EINVAL;
	if (crlen) {
		v->cr_to_originator = p[2] & 0x80;
		v->cr = p[2] & 0x7f;
		if (crlen == 2)
			v->cr = (uint16_t)(v->cr << 8 | p[3]);
	}
	v->msg_type = p[2 + crlen];
	return ies_decode(v, p + 3 + crlen, n - 3 - crlen);
}

struct out {
	char *buf;
	size_t len, pos;
};

static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->pos < o->len ? o->buf + o->pos : NULL,
		      o->pos < o->len ? o->len - o->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static const char *pres_name(int pres)
{
	static const char *const names[] = { "allowed", "restricted", "unavailable", "spare" };

	return pres >= 0 && pres < 4 ? names[pres] : "";
}

static const char *screen_name(int screen)
{
	static const char *const names[] = { "user", "user-passed", "user-failed", "network" };

	return screen >= 0 && screen < 4 ? names[screen] : "";
}

static void line_number(struct out *o, const char *label, const struct pri_q931_num *n)
{
	if (!n->present)
		return;
	outf(o, " %s=%s", label, n->digits[0] ? n->digits : "-");
	if (n->pres >= 0)
		outf(o, "(%s,%s)", pres_name(n->pres), screen_name(n->screen));
	if (n->reason >= 0)
		outf(o, " reason=%d", n->reason);
}

int pri_q931_format_line(char *buf, size_t len, uint64_t t_ms, const char *trunk, bool sent,
			 const struct pri_q931_view *v)
{
	struct out o = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	outf(&o, "%4llu.%03llu %-6s cr=%-5u %s  %s", (unsigned long long)(t_ms / 1000),
	     (unsigned long long)(t_ms % 1000), trunk, v->cr, sent ? "->" : "<-",
	     pri_q931_msg_name(v->msg_type));
	if (v->chan >= 0)
		outf(&o, " chan=%d%s", v->chan, v->exclusive ? "(exclusive)" : "");
	line_number(&o, "called", &v->called);
	line_number(&o, "calling", &v->calling);
	line_number(&o, "rgn", &v->rgn);
	if (v->progress >= 0)
		outf(&o, " progress=%d", v->progress);
	if (v->cause >= 0)
		outf(&o, " cause=%d(loc %d)", v->cause, v->cause_loc);
	if (v->facility)
		outf(&o, " facility");
	if (v->notify)
		outf(&o, " notify");
	if (v->keypad)
		outf(&o, " keypad");
	return (int)o.pos;
}

static void json_number(struct out *o, const char *label, const struct pri_q931_num *n)
{
	if (!n->present)
		return;
	outf(o, ",\"%s\":\"%s\",\"%s_ton\":%d", label, n->digits, label, n->ton);
	if (n->pres >= 0)
		outf(o, ",\"%s_pres\":%d,\"%s_screen\":%d", label, n->pres, label, n->screen);
	if (n->reason >= 0)
		outf(o, ",\"%s_reason\":%d", label, n->reason);
}

int pri_q931_format_json(char *buf, size_t len, uint64_t t_ms, const char *trunk, bool sent,
			 const struct pri_q931_view *v)
{
	struct out o = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	/* trunk names come from config sections: no quotes or control characters */
	outf(&o, "{\"t\":%llu.%03llu,\"trunk\":\"%s\",\"dir\":\"%s\",\"type\":\"%s\",\"cr\":%u",
	     (unsigned long long)(t_ms / 1000), (unsigned long long)(t_ms % 1000), trunk,
	     sent ? "out" : "in", pri_q931_msg_name(v->msg_type), v->cr);
	if (v->chan >= 0)
		outf(&o, ",\"chan\":%d", v->chan);
	json_number(&o, "called", &v->called);
	json_number(&o, "calling", &v->calling);
	json_number(&o, "rgn", &v->rgn);
	if (v->progress >= 0)
		outf(&o, ",\"progress\":%d", v->progress);
	if (v->cause >= 0)
		outf(&o, ",\"cause\":%d,\"cause_location\":%d", v->cause, v->cause_loc);
	if (v->facility)
		outf(&o, ",\"facility\":true");
	if (v->notify)
		outf(&o, ",\"notify\":true");
	outf(&o, "}");
	return (int)o.pos;
}
