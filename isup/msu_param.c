/* isup/msu_param.c - per-parameter rules of the ISUP validator and their decoding into
 * struct isup_msg_view. The rules are Q.763's formats, tightened where libss7 2.0's
 * decoder would misbehave: exact lengths where libss7 advances by a fixed size (a
 * different length would desynchronise its optional-part walk), number parameters bounded
 * to MSU_DIGITS_MAX signals, minimum lengths where libss7 reads fixed offsets. */
#include "isup/msu_int.h"

#include <string.h>

enum prm_kind {
	K_ANY,		/* not decoded by libss7: any length within the message */
	K_FIXED,	/* libss7 reads/advances exactly min bytes */
	K_RANGE,	/* min..max bytes */
	K_NUMBER,	/* odd/NAI, NI/NPI/APRI/SI, BCD digits */
	K_GENNUM,	/* qualifier + K_NUMBER */
	K_SUBSEQ,	/* odd/spare + BCD digits */
	K_BCD,		/* BCD digits only (JIP) */
	K_GENDIG,	/* type/scheme + BCD or IA5 digits */
	K_LSPI,		/* type/scheme, context + BCD or IA5 */
	K_CAUSE,
	K_RANGE_STATUS,
};

struct prm_rule {
	uint8_t kind;
	uint8_t min, max;
};

static const struct prm_rule rules[256] = {
	[PRM_CALL_REF] = { K_RANGE, 5, 7 },
	[PRM_TMR] = { K_FIXED, 1, 1 },
	[PRM_ACCESS_TRANSPORT] = { K_RANGE, 1, 255 },
	[PRM_CALLED] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_SUBSEQUENT] = { K_SUBSEQ, 1, 1 + MSU_DIGITS_MAX / 2 },
	[PRM_NCI] = { K_FIXED, 1, 1 },
	[PRM_FCI] = { K_FIXED, 2, 2 },
	[PRM_OFCI] = { K_FIXED, 1, 1 },
	[PRM_CPC] = { K_FIXED, 1, 1 },
	[PRM_CALLING] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_RGN] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_REDIR_NUM] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_INR_IND] = { K_FIXED, 2, 2 },
	[PRM_INF_IND] = { K_FIXED, 2, 2 },
	[PRM_CONTINUITY] = { K_FIXED, 1, 1 },
	[PRM_BCI] = { K_FIXED, 2, 2 },
	[PRM_CAUSE] = { K_CAUSE, 2, 32 },
	[PRM_RI] = { K_FIXED, 2, 2 },
	[PRM_CGSMTI] = { K_FIXED, 1, 1 },
	[PRM_RANGE] = { K_RANGE_STATUS, 1, 5 },
	[PRM_FACILITY_IND] = { K_FIXED, 1, 1 },
	[PRM_CUG] = { K_FIXED, 4, 4 },
	[PRM_USI] = { K_RANGE, 2, 13 },
	[PRM_CONNECTED] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_SUSP_RES] = { K_FIXED, 1, 1 },
	[PRM_TNS] = { K_RANGE, 1, 255 },
	[PRM_EVENT] = { K_FIXED, 1, 1 },
	[PRM_CIRCUIT_STATE] = { K_RANGE, 1, 32 },
	[PRM_OCN] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_OBCI] = { K_FIXED, 1, 1 },
	[PRM_GNI] = { K_RANGE, 1, 255 },
	[PRM_HOP_COUNTER] = { K_FIXED, 1, 1 },
	[PRM_LOCATION] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_CALLED_IN] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_REDIRECT_COUNTER] = { K_FIXED, 1, 1 },
	[PRM_CALLED_DIR] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
	[PRM_GENERIC_NUMBER] = { K_GENNUM, 3, 3 + MSU_DIGITS_MAX / 2 },
	[PRM_GENERIC_DIGITS] = { K_GENDIG, 1, 1 + MSU_IA5_MAX },
	[PRM_JIP] = { K_BCD, 1, MSU_DIGITS_MAX / 2 },
	[PRM_CARRIER_ID] = { K_RANGE, 1, 255 },
	[PRM_GENERIC_NAME] = { K_RANGE, 1, 16 },	/* libss7 copies len-1 into char[16] */
	[PRM_LSPI] = { K_LSPI, 2, 2 + MSU_IA5_MAX },
	[PRM_OLI] = { K_FIXED, 1, 1 },
	[PRM_CHARGE_NUMBER] = { K_NUMBER, 2, 2 + MSU_DIGITS_MAX / 2 },
};

bool msu_param_is_number(uint8_t code)
{
	switch (rules[code].kind) {
	case K_NUMBER:
	case K_GENNUM:
	case K_SUBSEQ:
	case K_BCD:
		return true;
	default:
		return false;
	}
}

static const char digit_chars[16] = "0123456789ABCDEF";

/* BCD digits, low nibble first. Spare codes (A, D, E) are malformed; F (ST) only last. */
static enum msu_reason bcd_digits(const uint8_t *p, size_t octets, bool odd, char *out)
{
	size_t n = octets * 2 - (odd ? 1 : 0);
	size_t i;

	if (odd && octets == 0)
		return MSU_R_NUM_FORMAT;
	if (n > MSU_DIGITS_MAX)
		return MSU_R_NUM_LONG;
	for (i = 0; i < n; i++) {
		uint8_t d = (p[i / 2] >> ((i & 1) ? 4 : 0)) & 0x0f;

		if (d == 0x0a || d == 0x0d || d == 0x0e || (d == 0x0f && i != n - 1))
			return MSU_R_NUM_FORMAT;
		if (out)
			out[i] = digit_chars[d];
	}
	if (out)
		out[n] = '\0';
	return MSU_OK;
}

/* NAI 0 and 9..0x6f are spare, 0x7f reserved (Q.763 §3.9, §3.10). */
static bool nai_valid(uint8_t nai)
{
	return (nai >= 1 && nai <= 8) || (nai >= 0x70 && nai <= 0x7e);
}

static struct isup_number *number_slot(struct isup_msg_view *v, uint8_t code)
{
	switch (code) {
	case PRM_CALLED: return &v->called;
	case PRM_CALLING: return &v->calling;
	case PRM_OCN: return &v->ocn;
	case PRM_RGN: return &v->rgn;
	case PRM_REDIR_NUM: return &v->redir_num;
	case PRM_CONNECTED: return &v->connected;
	case PRM_SUBSEQUENT: return &v->subsequent;
	case PRM_GENERIC_NUMBER: return v->generic.present ? NULL : &v->generic;
	default: return NULL;
	}
}

static enum msu_reason check_number(struct msu_ctx *ctx, uint8_t code, const uint8_t *p,
				    size_t len)
{
	struct isup_number tmp, *slot = number_slot(ctx->v, code);
	struct isup_number *n = slot ? slot : &tmp;
	enum msu_reason r;
	size_t hdr = 2;

	memset(n, 0, sizeof(*n));
	if (code == PRM_GENERIC_NUMBER) {
		ctx->v->generic_qualifier = p[0];
		p++;
		len--;
	}
	n->nai = p[0] & 0x7f;
	n->inn = p[1] >> 7;
	n->npi = (p[1] >> 4) & 7;
	n->pres = (p[1] >> 2) & 3;
	n->screen = p[1] & 3;
	if (!nai_valid(n->nai))
		return MSU_R_NUM_FORMAT;
	r = bcd_digits(p + hdr, len - hdr, p[0] >> 7, n->digits);
	if (r != MSU_OK)
		return r;
	n->present = true;
	return MSU_OK;
}

static enum msu_reason check_cause(struct isup_msg_view *v, const uint8_t *p, size_t len)
{
	size_t i = 1;

	/* octet 1 ext bit 0: a recommendation octet 1a follows (Q.850 §2.2.3) */
	if (!(p[0] & 0x80))
		i = 2;
	if (i >= len)
		return MSU_R_CONTENT;
	v->cause_present = true;
	v->cause_location = p[0] & 0x0f;
	v->cause_coding = (p[0] >> 5) & 3;
	v->cause_value = p[i] & 0x7f;
	return MSU_OK;
}

/* GRS/CQM carry the range only; group (un)blocking, GRA and CQR add one status bit per
 * circuit. Range is 0..31 (Q.763 §3.43: at most 32 circuits). */
static enum msu_reason check_range(struct msu_ctx *ctx, const uint8_t *p, size_t len)
{
	int t = ctx->msg_type;
	bool status = !(t == ISUP_MT_GRS || t == ISUP_MT_CQM);

	if (p[0] > 31)
		return MSU_R_CONTENT;
	if (status && len != 1 + (size_t)(p[0] + 1 + 7) / 8)
		return MSU_R_LENGTH;
	if (!status && len != 1)
		return MSU_R_LENGTH;
	ctx->range = p[0];
	ctx->v->range = p[0];
	return MSU_OK;
}

static void decode_simple(struct isup_msg_view *v, uint8_t code, const uint8_t *p)
{
	switch (code) {
	case PRM_NCI: v->nci = p[0]; break;
	case PRM_FCI: v->fci = p[0] | p[1] << 8; break;
	case PRM_CPC: v->calling_cat = p[0]; break;
	case PRM_TMR: v->tmr = p[0]; break;
	case PRM_BCI: v->bci = p[0] | p[1] << 8; break;
	case PRM_CGSMTI: v->cgsmti = p[0] & 3; break;
	case PRM_RI:
		v->ri_present = true;
		v->ri_ind = p[0] & 7;
		v->ri_orig_reason = p[0] >> 4;
		v->ri_counter = p[1] & 7;
		v->ri_reason = p[1] >> 4;
		break;
	case PRM_EVENT:
		v->event_present = true;
		v->event_ind = p[0] & 0x7f;
		v->event_restricted = p[0] >> 7;
		break;
	case PRM_REDIRECT_COUNTER:
		v->redirect_counter_present = true;
		v->redirect_counter = p[0] & 0x1f;
		break;
	case PRM_HOP_COUNTER:
		v->hop_counter_present = true;
		v->hop_counter = p[0] & 0x1f;
		break;
	}
}

enum msu_reason msu_param_check(struct msu_ctx *ctx, uint8_t code, const uint8_t *p,
				size_t len)
{
	const struct prm_rule *r = &rules[code];
	struct isup_msg_view *v = ctx->v;

	v->params[code >> 3] |= 1u << (code & 7);
	if (r->kind == K_ANY)
		return MSU_OK;
	if (len < r->min)
		return msu_param_is_number(code) ? MSU_R_NUM_FORMAT : MSU_R_LENGTH;
	if (len > r->max)
		return msu_param_is_number(code) ? MSU_R_NUM_LONG : MSU_R_LENGTH;
	switch (r->kind) {
	case K_FIXED:
		decode_simple(v, code, p);
		return MSU_OK;
	case K_NUMBER:
	case K_GENNUM:
		return check_number(ctx, code, p, len);
	case K_SUBSEQ: {
		struct isup_number *n = &v->subsequent;

		memset(n, 0, sizeof(*n));
		n->present = true;
		return bcd_digits(p + 1, len - 1, p[0] >> 7, n->digits);
	}
	case K_BCD:
		return bcd_digits(p, len, false, NULL);
	case K_GENDIG:		/* scheme 0/1: BCD even/odd, else IA5 (libss7's reading) */
		if ((p[0] >> 5) < 2 && len - 1 > MSU_DIGITS_MAX / 2)
			return MSU_R_NUM_LONG;
		return MSU_OK;
	case K_LSPI:
		if ((p[0] >> 5) < 2 && len - 2 > MSU_DIGITS_MAX / 2)
			return MSU_R_NUM_LONG;
		return MSU_OK;
	case K_CAUSE:
		return check_cause(v, p, len);
	case K_RANGE_STATUS:
		return check_range(ctx, p, len);
	case K_RANGE:
		if (code == PRM_CIRCUIT_STATE && len != (size_t)ctx->range + 1)
			return MSU_R_LENGTH;
		return MSU_OK;
	}
	return MSU_OK;
}
