/* isup/msu.h - MTP2 signal units, MTP3 routing label (ITU, 14-bit point codes) and ITU
 * ISUP messages (Q.763 layouts): one parser that validates every SU before libss7 sees it
 * and decodes it into a struct isup_msg_view for the ladder, --json and tests.
 * Number parameters are bounded to MSU_DIGITS_MAX address signals (E.164's 15 + ST;
 * libss7 decodes into 64-byte buffers without a bound). SUs are given without FCS.
 * Does not keep call state and does not encode (see isup/msu_enc.h). */
#ifndef ISUP_MSU_H
#define ISUP_MSU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSU_DIGITS_MAX 16	/* address signals per number parameter (Q.763 §3 / E.164) */
#define MSU_IA5_MAX 32		/* IA5 digit strings (generic digits, LSPI) */

enum mtp2_su_kind { MTP2_FISU, MTP2_LSSU, MTP2_MSU, MTP2_BAD };

/* Q.763 message type codes (ITU) */
enum isup_msg_type {
	ISUP_MT_IAM = 0x01, ISUP_MT_SAM = 0x02, ISUP_MT_INR = 0x03, ISUP_MT_INF = 0x04,
	ISUP_MT_COT = 0x05, ISUP_MT_ACM = 0x06, ISUP_MT_CON = 0x07, ISUP_MT_FOT = 0x08,
	ISUP_MT_ANM = 0x09, ISUP_MT_REL = 0x0c, ISUP_MT_SUS = 0x0d, ISUP_MT_RES = 0x0e,
	ISUP_MT_RLC = 0x10, ISUP_MT_CCR = 0x11, ISUP_MT_RSC = 0x12, ISUP_MT_BLO = 0x13,
	ISUP_MT_UBL = 0x14, ISUP_MT_BLA = 0x15, ISUP_MT_UBA = 0x16, ISUP_MT_GRS = 0x17,
	ISUP_MT_CGB = 0x18, ISUP_MT_CGU = 0x19, ISUP_MT_CGBA = 0x1a, ISUP_MT_CGUA = 0x1b,
	ISUP_MT_FAR = 0x1f, ISUP_MT_FAA = 0x20, ISUP_MT_FRJ = 0x21, ISUP_MT_LPA = 0x24,
	ISUP_MT_GRA = 0x29, ISUP_MT_CQM = 0x2a, ISUP_MT_CQR = 0x2b, ISUP_MT_CPG = 0x2c,
	ISUP_MT_UCIC = 0x2e, ISUP_MT_CFN = 0x2f,
};
const char *isup_msg_type_name(int type);	/* "IAM", ..., "0x42" style for unknown */
int isup_msg_type_from_name(const char *name);	/* -ENOENT if unknown */

/* What the link relay does with the SU. */
enum msu_action {
	MSU_PASS,		/* hand to libss7 unchanged */
	MSU_DROP,		/* neutralize (msu_neutralize) and count; Q.764 discard */
	MSU_REJECT_IAM,		/* IAM with a bad number: neutralize, send REL(cause) on cic */
};

enum msu_reason {
	MSU_OK,
	MSU_R_SU_LEN,		/* SU shorter than 3 bytes, LI inconsistent, too long */
	MSU_R_LSSU,		/* LSSU with wrong length */
	MSU_R_LABEL,		/* SIF shorter than the routing label */
	MSU_R_ISUP_SHORT,	/* no room for CIC + message type */
	MSU_R_MSG_TYPE,		/* unknown message type, or one libss7 cannot parse */
	MSU_R_FIXED,		/* mandatory fixed part truncated */
	MSU_R_POINTER,		/* pointer zero / out of bounds / overlapping */
	MSU_R_LENGTH,		/* parameter length out of bounds or wrong for its code */
	MSU_R_OPTIONAL,		/* optional part not terminated by end-of-optional */
	MSU_R_CONTENT,		/* bad contents (cause, range/status, spare values) */
	MSU_R_NUM_LONG,		/* number with more than MSU_DIGITS_MAX signals */
	MSU_R_NUM_FORMAT,	/* number: bad NAI, odd/even, spare digit code */
	MSU_REASON_COUNT
};
const char *msu_reason_name(enum msu_reason r);

struct msu_verdict {
	enum msu_action action;
	enum msu_reason reason;
	enum mtp2_su_kind kind;
	uint8_t si;		/* service indicator (MSU only) */
	int msg_type;		/* ISUP message type, -1 if not ISUP */
	uint16_t cic;
	uint8_t param;		/* offending parameter code (0: none) */
	uint8_t cause;		/* for MSU_REJECT_IAM: Q.850 cause to release with (28) */
	uint32_t opc;		/* OPC of the MSU (the REL goes back to it) */
};

/* A decoded number parameter (called, calling, OCN, RGN, ...). Digits as characters
 * 0-9, B, C, F (ST shown as F, as tshark does). */
struct isup_number {
	bool present;
	uint8_t nai;		/* nature of address indicator (7 bits) */
	uint8_t npi;		/* numbering plan indicator */
	uint8_t pres;		/* address presentation restricted indicator (APRI) */
	uint8_t screen;		/* screening indicator (calling/connected only) */
	uint8_t inn;		/* INN / NI bit */
	char digits[MSU_DIGITS_MAX + 1];
};

struct isup_msg_view {
	/* MTP */
	enum mtp2_su_kind kind;
	uint8_t lssu_status;	/* LSSU: SIO=0 SIN=1 SIE=2 SIOS=3 SIPO=4 SIB=5 */
	uint8_t si, ni;
	uint32_t opc, dpc;
	uint8_t sls;
	/* ISUP */
	int msg_type;		/* -1 if not ISUP */
	uint16_t cic;
	struct isup_number called, calling, ocn, rgn, redir_num, connected, subsequent;
	struct isup_number generic;	/* generic number 0xC0 (first occurrence) */
	uint8_t generic_qualifier;
	uint8_t calling_cat;	/* IAM */
	uint8_t nci, tmr;	/* IAM nature of connection, transmission medium req. */
	uint16_t fci;		/* IAM forward call indicators (octet1 | octet2 << 8) */
	uint16_t bci;		/* ACM/CON backward call indicators (octet1 | octet2 << 8) */
	bool ri_present;	/* redirection information 0x13 */
	uint8_t ri_ind, ri_orig_reason, ri_counter, ri_reason;
	bool cause_present;
	uint8_t cause_value, cause_location, cause_coding;
	bool event_present;	/* CPG event information */
	uint8_t event_ind;
	bool event_restricted;
	bool redirect_counter_present;	/* national param 0x77: must be absent for CF */
	uint8_t redirect_counter;
	bool hop_counter_present;
	uint8_t hop_counter;
	uint8_t range;		/* range and status: range (group messages) */
	uint8_t cgsmti;		/* circuit group supervision message type ind. */
	uint8_t params[32];	/* bitmap of every parameter code seen (256 bits) */
};
static inline bool isup_view_has(const struct isup_msg_view *v, uint8_t code)
{
	return v->params[code >> 3] & (1u << (code & 7));
}

/* Classify and validate one SU (FCS stripped). view, if not NULL, is filled with what
 * could be decoded (always fully when action == MSU_PASS). FISUs/LSSUs/non-ISUP MSUs with
 * a good label pass. Never reads outside su[0..len). */
struct msu_verdict msu_validate(const uint8_t *su, size_t len, struct isup_msg_view *view);
/* The same for an MTP3 MSU body: SIO + SIF (as in pcap DLT 141). */
struct msu_verdict msu_validate_mtp3(const uint8_t *sio, size_t len,
				     struct isup_msg_view *view);

/* Rewrite a rejected MSU in place into a harmless one that libss7 accepts at MTP2 (same
 * BSN/BIB/FSN/FIB, so sequence numbering stays intact) and discards at MTP3 (SI = SCCP,
 * routing label kept when present). cap >= 8. Returns the new length, or 0 when the SU
 * has no MTP2 header (len < 3): discard it then. Typical RX hook: pcap_tap_write, then
 * msu_validate; unless MSU_PASS, msu_neutralize (and for MSU_REJECT_IAM send REL). */
size_t msu_neutralize(uint8_t *su, size_t len, size_t cap);

/* Counters per verdict, for status output. */
struct msu_stats {
	uint64_t seen, passed, dropped, rejected_iam;
	uint64_t by_reason[MSU_REASON_COUNT];
};
void msu_stats_count(struct msu_stats *st, const struct msu_verdict *v);

#endif
