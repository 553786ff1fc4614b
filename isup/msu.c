/* isup/msu.c - the signal-unit validator: MTP2 framing (Q.703), MTP3 routing label
 * (Q.704, ITU 14-bit point codes) and the ITU ISUP message layout of Q.763 (mandatory
 * fixed part, pointers to mandatory variable parameters, optional part), restricted to
 * the message types libss7 2.0 parses with the same layout. Parameter rules live in
 * isup/msu_param.c. Every read is bounds-checked against the SU length. */
#include "isup/msu_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_FIXED 4
#define MAX_VAR 2

struct msg_layout {
	uint8_t type;
	const char *name;
	uint8_t nfixed;
	uint8_t fixed[MAX_FIXED];	/* parameter codes, lengths from msu_param rules */
	uint8_t fixed_len[MAX_FIXED];
	uint8_t nvar;
	uint8_t var[MAX_VAR];
	bool opt;
	bool libss7;			/* libss7 parses it with this layout */
};

static const struct msg_layout layouts[] = {
	{ ISUP_MT_IAM, "IAM", 4, { PRM_NCI, PRM_FCI, PRM_CPC, PRM_TMR }, { 1, 2, 1, 1 },
	  1, { PRM_CALLED }, true, true },
	{ ISUP_MT_SAM, "SAM", 0, {}, {}, 1, { PRM_SUBSEQUENT }, true, true },
	{ ISUP_MT_INR, "INR", 1, { PRM_INR_IND }, { 2 }, 0, {}, true, true },
	{ ISUP_MT_INF, "INF", 1, { PRM_INF_IND }, { 2 }, 0, {}, true, true },
	{ ISUP_MT_COT, "COT", 1, { PRM_CONTINUITY }, { 1 }, 0, {}, false, true },
	{ ISUP_MT_ACM, "ACM", 1, { PRM_BCI }, { 2 }, 0, {}, true, true },
	{ ISUP_MT_CON, "CON", 1, { PRM_BCI }, { 2 }, 0, {}, true, true },
	{ ISUP_MT_FOT, "FOT", 0, {}, {}, 0, {}, true, false },
	{ ISUP_MT_ANM, "ANM", 0, {}, {}, 0, {}, true, true },
	{ ISUP_MT_REL, "REL", 0, {}, {}, 1, { PRM_CAUSE }, true, true },
	{ ISUP_MT_SUS, "SUS", 1, { PRM_SUSP_RES }, { 1 }, 0, {}, true, true },
	{ ISUP_MT_RES, "RES", 1, { PRM_SUSP_RES }, { 1 }, 0, {}, true, true },
	{ ISUP_MT_RLC, "RLC", 0, {}, {}, 0, {}, true, true },
	{ ISUP_MT_CCR, "CCR", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_RSC, "RSC", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_BLO, "BLO", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_UBL, "UBL", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_BLA, "BLA", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_UBA, "UBA", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_GRS, "GRS", 0, {}, {}, 1, { PRM_RANGE }, false, true },
	{ ISUP_MT_CGB, "CGB", 1, { PRM_CGSMTI }, { 1 }, 1, { PRM_RANGE }, false, true },
	{ ISUP_MT_CGU, "CGU", 1, { PRM_CGSMTI }, { 1 }, 1, { PRM_RANGE }, false, true },
	{ ISUP_MT_CGBA, "CGBA", 1, { PRM_CGSMTI }, { 1 }, 1, { PRM_RANGE }, false, true },
	{ ISUP_MT_CGUA, "CGUA", 1, { PRM_CGSMTI }, { 1 }, 1, { PRM_RANGE }, false, true },
	{ ISUP_MT_FAR, "FAR", 1, { PRM_FACILITY_IND }, { 1 }, 0, {}, true, true },
	{ ISUP_MT_FAA, "FAA", 1, { PRM_FACILITY_IND }, { 1 }, 0, {}, true, true },
	/* libss7 lacks FRJ's mandatory cause pointer: it would misparse FRJ */
	{ ISUP_MT_FRJ, "FRJ", 1, { PRM_FACILITY_IND }, { 1 }, 1, { PRM_CAUSE }, true, false },
	{ ISUP_MT_LPA, "LPA", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_GRA, "GRA", 0, {}, {}, 1, { PRM_RANGE }, false, true },
	{ ISUP_MT_CQM, "CQM", 0, {}, {}, 1, { PRM_RANGE }, false, true },
	{ ISUP_MT_CQR, "CQR", 0, {}, {}, 2, { PRM_RANGE, PRM_CIRCUIT_STATE }, false, true },
	{ ISUP_MT_CPG, "CPG", 1, { PRM_EVENT }, { 1 }, 0, {}, true, true },
	{ ISUP_MT_UCIC, "UCIC", 0, {}, {}, 0, {}, false, true },
	{ ISUP_MT_CFN, "CFN", 0, {}, {}, 1, { PRM_CAUSE }, true, true },
};

static const struct msg_layout *layout_of(int type)
{
	size_t i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].type == type)
			return &layouts[i];
	return NULL;
}

const char *isup_msg_type_name(int type)
{
	static __thread char buf[8];
	const struct msg_layout *m = layout_of(type);

	if (m)
		return m->name;
	snprintf(buf, sizeof(buf), "0x%02x", type & 0xff);
	return buf;
}

int isup_msg_type_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (!strcasecmp(layouts[i].name, name))
			return layouts[i].type;
	return -ENOENT;
}

static const char *const reason_names[MSU_REASON_COUNT] = {
	[MSU_OK] = "ok",
	[MSU_R_SU_LEN] = "su-length",
	[MSU_R_LSSU] = "lssu-length",
	[MSU_R_LABEL] = "routing-label",
	[MSU_R_ISUP_SHORT] = "isup-short",
	[MSU_R_MSG_TYPE] = "message-type",
	[MSU_R_FIXED] = "fixed-part",
	[MSU_R_POINTER] = "pointer",
	[MSU_R_LENGTH] = "param-length",
	[MSU_R_OPTIONAL] = "optional-part",
	[MSU_R_CONTENT] = "param-content",
	[MSU_R_NUM_LONG] = "number-too-long",
	[MSU_R_NUM_FORMAT] = "number-format",
};

const char *msu_reason_name(enum msu_reason r)
{
	if ((unsigned)r < MSU_REASON_COUNT)
		return reason_names[r];
	return "unknown";
}

/* Mandatory variable parameters: one pointer each, relative to the pointer's octet. */
static enum msu_reason walk_var(struct msu_ctx *ctx, const struct msg_layout *m,
				const uint8_t *b, size_t len, size_t p, uint8_t *bad)
{
	size_t data_start = p + m->nvar + (m->opt ? 1 : 0);
	unsigned i;

	for (i = 0; i < m->nvar; i++) {
		size_t at = p + i + b[p + i];
		enum msu_reason r;

		*bad = m->var[i];
		if (b[p + i] == 0 || at < data_start || at >= len)
			return MSU_R_POINTER;
		if (at + 1 + b[at] > len)
			return MSU_R_LENGTH;
		r = msu_param_check(ctx, m->var[i], b + at + 1, b[at]);
		if (r != MSU_OK)
			return r;
	}
	*bad = 0;
	return MSU_OK;
}

static enum msu_reason walk_opt(struct msu_ctx *ctx, const struct msg_layout *m,
				const uint8_t *b, size_t len, size_t ptr_at, uint8_t *bad)
{
	size_t at;

	if (b[ptr_at] == 0)
		return MSU_OK;	/* no optional part */
	at = ptr_at + b[ptr_at];
	if (at < ptr_at + 1)
		return MSU_R_POINTER;
	for (;;) {
		enum msu_reason r;

		if (at >= len)
			return MSU_R_OPTIONAL;
		if (b[at] == PRM_END)
			return MSU_OK;
		*bad = b[at];
		if (at + 1 >= len)
			return MSU_R_OPTIONAL;
		if (at + 2 + b[at + 1] > len)
			return MSU_R_LENGTH;
		r = msu_param_check(ctx, b[at], b + at + 2, b[at + 1]);
		if (r != MSU_OK)
			return r;
		*bad = 0;
		at += 2 + b[at + 1];
	}
}

/* b: ISUP message from the CIC on. */
static enum msu_reason walk_isup(struct msu_ctx *ctx, const uint8_t *b, size_t len,
				 uint8_t *bad)
{
	const struct msg_layout *m = layout_of(b[2]);
	size_t p = 3;
	enum msu_reason r;
	unsigned i;

	if (!m || !m->libss7)
		return MSU_R_MSG_TYPE;
	for (i = 0; i < m->nfixed; i++) {
		*bad = m->fixed[i];
		if (p + m->fixed_len[i] > len)
			return MSU_R_FIXED;
		r = msu_param_check(ctx, m->fixed[i], b + p, m->fixed_len[i]);
		if (r != MSU_OK)
			return r;
		p += m->fixed_len[i];
	}
	*bad = 0;
	if (p + m->nvar + (m->opt ? 1 : 0) > len)
		return MSU_R_POINTER;
	r = walk_var(ctx, m, b, len, p, bad);
	if (r != MSU_OK || !m->opt)
		return r;
	return walk_opt(ctx, m, b, len, p + m->nvar, bad);
}

static void label_decode(const uint8_t *l, struct isup_msg_view *v)
{
	v->dpc = (l[0] | l[1] << 8) & 0x3fff;
	v->opc = ((l[1] >> 6) | l[2] << 2 | l[3] << 10) & 0x3fff;
	v->sls = l[3] >> 4;
}

/* User parts libss7 reads beyond the label: SNM (H0/H1), SLTM/SLTA (H0/H1 + pattern). */
static enum msu_reason check_mtp3_user(uint8_t si, const uint8_t *sif, size_t len)
{
	if (si == 0 && len < 5)
		return MSU_R_LABEL;
	if ((si == 1 || si == 2) && (len < 6 || len < 6 + (size_t)(sif[5] >> 4)))
		return MSU_R_LABEL;
	return MSU_OK;
}

static void verdict_finish(struct msu_verdict *vd, const struct isup_msg_view *v,
			   enum msu_reason r)
{
	vd->reason = r;
	if (r == MSU_OK) {
		vd->action = MSU_PASS;
		vd->param = 0;
	} else if (vd->msg_type == ISUP_MT_IAM &&
		   (r == MSU_R_NUM_LONG || r == MSU_R_NUM_FORMAT)) {
		vd->action = MSU_REJECT_IAM;
		vd->cause = 28;	/* invalid number format (address incomplete) */
	} else {
		vd->action = MSU_DROP;
	}
	vd->opc = v->opc;
}

struct msu_verdict msu_validate_mtp3(const uint8_t *sio, size_t len,
				     struct isup_msg_view *view)
{
	struct isup_msg_view local;
	struct isup_msg_view *v = view ? view : &local;
	struct msu_verdict vd = { .kind = MTP2_MSU, .msg_type = -1 };
	struct msu_ctx ctx = { .v = v, .msg_type = -1 };
	enum msu_reason r;

	memset(v, 0, sizeof(*v));
	v->kind = MTP2_MSU;
	v->msg_type = -1;
	if (len < 1 + 4) {
		verdict_finish(&vd, v, MSU_R_LABEL);
		return vd;
	}
	v->si = vd.si = sio[0] & 0x0f;
	v->ni = sio[0] >> 6;
	label_decode(sio + 1, v);
	if (v->si != 5) {
		verdict_finish(&vd, v, check_mtp3_user(v->si, sio + 1, len - 1));
		return vd;
	}
	if (len < 1 + 4 + 3) {
		verdict_finish(&vd, v, MSU_R_ISUP_SHORT);
		return vd;
	}
	v->cic = vd.cic = sio[5] | (sio[6] & 0x0f) << 8;
	v->msg_type = vd.msg_type = ctx.msg_type = sio[7];
	r = walk_isup(&ctx, sio + 5, len - 5, &vd.param);
	verdict_finish(&vd, v, r);
	return vd;
}

struct msu_verdict msu_validate(const uint8_t *su, size_t len, struct isup_msg_view *view)
{
	struct isup_msg_view local;
	struct isup_msg_view *v = view ? view : &local;
	struct msu_verdict vd = { .kind = MTP2_BAD, .msg_type = -1 };
	size_t li;

	memset(v, 0, sizeof(*v));
	v->msg_type = -1;
	if (len < 3 || len > 3 + 1 + 272) {
		v->kind = MTP2_BAD;
		verdict_finish(&vd, v, MSU_R_SU_LEN);
		return vd;
	}
	li = su[2] & 0x3f;
	if (li == 0) {
		v->kind = vd.kind = MTP2_FISU;
		verdict_finish(&vd, v, len == 3 ? MSU_OK : MSU_R_SU_LEN);
		return vd;
	}
	if (li <= 2) {
		v->kind = vd.kind = MTP2_LSSU;
		if (len == 3 + li)
			v->lssu_status = su[3] & 7;
		verdict_finish(&vd, v, len == 3 + li ? MSU_OK : MSU_R_LSSU);
		return vd;
	}
	if (li != (len - 3 < 63 ? len - 3 : 63)) {
		v->kind = vd.kind = MTP2_MSU;
		verdict_finish(&vd, v, MSU_R_SU_LEN);
		return vd;
	}
	return msu_validate_mtp3(su + 3, len - 3, view);
}

size_t msu_neutralize(uint8_t *su, size_t len, size_t cap)
{
	uint8_t label[4] = { 0, 0, 0, 0 };
	uint8_t li;

	if (len < 3)
		return 0;
	li = su[2] & 0x3f;
	if (li < 3 || cap < 8) {	/* FISU/LSSU: keep only the sequence numbers */
		su[2] = 0;
		return 3;
	}
	if (len >= 8)
		memcpy(label, su + 4, 4);
	su[2] = (su[2] & 0xc0) | 5;
	su[3] = (len >= 4 ? su[3] & 0xf0 : 0x80) | 3;	/* keep NI and priority, SI = SCCP */
	memcpy(su + 4, label, 4);
	return 8;
}

void msu_stats_count(struct msu_stats *st, const struct msu_verdict *v)
{
	st->seen++;
	st->by_reason[v->reason < MSU_REASON_COUNT ? v->reason : MSU_OK]++;
	switch (v->action) {
	case MSU_PASS: st->passed++; break;
	case MSU_DROP: st->dropped++; break;
	case MSU_REJECT_IAM: st->rejected_iam++; break;
	}
}
