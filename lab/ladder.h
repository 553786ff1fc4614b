/* lab/ladder.h - the cfwd-lab message printer: one ladder line per decoded ISUP message
 * (time, span, CIC, direction, message, decoded parameters), or one JSON object per line
 * with --json, and the --expect FIELD=VALUE checker applied to every message seen.
 * Knows the field names; does not do I/O on links (the lab main feeds it views). */
#ifndef LAB_LADDER_H
#define LAB_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct isup_msg_view;
struct ladder;

/* out: where lines go (stdout); json: one JSON object per message instead of text. */
struct ladder *ladder_alloc(FILE *out, bool json);
void ladder_free(struct ladder *lad);	/* NULL-safe */

/* Add an expectation "[TYPE.]FIELD=VALUE", e.g. "IAM.ocn=0312345678", "REL.cause=17",
 * "IAM.redir_counter=1", "IAM.ocn=" (empty: the field must be absent). Without TYPE it
 * applies to every message that has the field. TYPE may carry qualifiers: "IAM@in"
 * (received by the lab), "IAM@out" (sent by it), "IAM@transit" (on span transit), e.g.
 * "IAM@in@transit.ocn=0312345678". 0 or -EINVAL (message in err). */
int ladder_expect_add(struct ladder *lad, const char *spec, char *err, size_t errlen);

/* One message: print it and check it. t_ms: ms since the lab started; span: span name;
 * sent: true when the lab sent it (->), false when it received it (<-). Returns the number
 * of expectations this message failed (each failure is printed to stderr). */
int ladder_msg(struct ladder *lad, uint64_t t_ms, const char *span, bool sent,
	       const struct isup_msg_view *v);

/* End of run: an expectation whose message type was never seen fails too. Returns the
 * total number of failures (exit 1 when > 0). */
int ladder_finish(struct ladder *lad);
unsigned ladder_failures(const struct ladder *lad);

/* Building blocks (tests, cfwdctl): value of FIELD in v as text ("" and false when the
 * field is absent in this message). Fields: type cic opc dpc sls called called_nai calling
 * calling_nai calling_pres calling_screen category ocn ocn_nai ocn_pres rgn rgn_nai
 * rgn_pres redir_ind redir_orig_reason redir_counter redir_reason redir_num connected
 * connected_pres cause cause_location event event_restricted redirect_counter_77
 * hop_counter generic_number subsequent range. */
bool ladder_field(const struct isup_msg_view *v, const char *field, char *buf, size_t len);
bool ladder_field_known(const char *field);
/* Format one message as a ladder line / JSON object (no newline). Returns the length
 * snprintf would have written. */
int ladder_format_line(char *buf, size_t len, uint64_t t_ms, const char *span, bool sent,
		       const struct isup_msg_view *v);
int ladder_format_json(char *buf, size_t len, uint64_t t_ms, const char *span, bool sent,
		       const struct isup_msg_view *v);

#endif
