/* isup/msu_int.h - internals shared by isup/msu.c (message walk) and isup/msu_param.c
 * (per-parameter rules and decoding). Not for other modules. */
#ifndef ISUP_MSU_INT_H
#define ISUP_MSU_INT_H

#include "isup/msu.h"

/* Q.763 parameter codes we name */
enum {
	PRM_END = 0x00, PRM_CALL_REF = 0x01, PRM_TMR = 0x02, PRM_ACCESS_TRANSPORT = 0x03,
	PRM_CALLED = 0x04, PRM_SUBSEQUENT = 0x05, PRM_NCI = 0x06, PRM_FCI = 0x07,
	PRM_OFCI = 0x08, PRM_CPC = 0x09, PRM_CALLING = 0x0a, PRM_RGN = 0x0b,
	PRM_REDIR_NUM = 0x0c, PRM_INR_IND = 0x0e, PRM_INF_IND = 0x0f, PRM_CONTINUITY = 0x10,
	PRM_BCI = 0x11, PRM_CAUSE = 0x12, PRM_RI = 0x13, PRM_CGSMTI = 0x15, PRM_RANGE = 0x16,
	PRM_FACILITY_IND = 0x18, PRM_CUG = 0x1a, PRM_USI = 0x1d, PRM_CONNECTED = 0x21,
	PRM_SUSP_RES = 0x22, PRM_TNS = 0x23, PRM_EVENT = 0x24, PRM_CIRCUIT_STATE = 0x26,
	PRM_OCN = 0x28, PRM_OBCI = 0x29, PRM_GNI = 0x2c, PRM_HOP_COUNTER = 0x3d,
	PRM_LOCATION = 0x3f, PRM_CALLED_IN = 0x6f, PRM_REDIRECT_COUNTER = 0x77,
	PRM_CALLED_DIR = 0x7d, PRM_GENERIC_NUMBER = 0xc0, PRM_GENERIC_DIGITS = 0xc1,
	PRM_JIP = 0xc4, PRM_CARRIER_ID = 0xc5, PRM_GENERIC_NAME = 0xc7, PRM_LSPI = 0xe4,
	PRM_OLI = 0xea, PRM_CHARGE_NUMBER = 0xeb,
};

/* Parse context for one ISUP message. */
struct msu_ctx {
	struct isup_msg_view *v;	/* never NULL inside the parser */
	int msg_type;
	uint8_t range;			/* from range and status, for circuit state ind. */
};

/* Check one parameter's contents (code, value bytes p[0..len)) and decode it into
 * ctx->v. Returns MSU_OK or the reason it is malformed. */
enum msu_reason msu_param_check(struct msu_ctx *ctx, uint8_t code, const uint8_t *p,
				size_t len);
bool msu_param_is_number(uint8_t code);

#endif
