/* feature/cfwd/prompt_ids.h - the voice-guidance catalogue: one id per prompt that the
 * 142 dialogue, remote control and call treatment play, with a stable name (the file
 * name the audio side renders, e.g. "menu") and the English text to render it from.
 * A prompt sequence is what one play() call asks for: ids, and digit strings that the
 * audio side reads digit by digit (PROMPT_DIGIT_0..9). Plays nothing itself. */
#ifndef CFWD_PROMPT_IDS_H
#define CFWD_PROMPT_IDS_H

#include <stddef.h>

enum prompt_id {
	PROMPT_WELCOME,
	PROMPT_MENU,
	PROMPT_CONDITION_MENU,
	PROMPT_ENTER_NUMBER,
	PROMPT_ENTER_RING_TIME,
	PROMPT_LIST_MENU,
	PROMPT_ENTER_LIST_NO_REGISTER,
	PROMPT_ENTER_LIST_NO_SELECT,
	PROMPT_REMOTE_MENU,
	PROMPT_ENTER_NEW_PIN,
	PROMPT_CHECK_MENU,
	PROMPT_READBACK_PREFIX,
	PROMPT_CONFIRM,
	PROMPT_DONE,
	PROMPT_DONE_MENU_OR_HANGUP,
	PROMPT_CANCELLED,
	PROMPT_ERR_INVALID_KEY,
	PROMPT_ERR_NO_NUMBER,
	PROMPT_ERR_REFUSED_NUMBER,
	PROMPT_ERR_RING_TIME,
	PROMPT_ERR_ENTRY_EMPTY,
	PROMPT_NOT_AVAILABLE,
	PROMPT_TRY_LATER,
	PROMPT_GOODBYE,
	PROMPT_LIST_ENTRY,
	PROMPT_NOT_REGISTERED,
	PROMPT_SELECTED,
	PROMPT_NONE_SELECTED,
	PROMPT_REMOTE_ENABLED,
	PROMPT_REMOTE_DISABLED,
	PROMPT_REMOTE_WELCOME,
	PROMPT_REMOTE_ENTER_NUMBER,
	PROMPT_REMOTE_ENTER_PIN,
	PROMPT_REMOTE_COMMAND,
	PROMPT_REMOTE_REJECTED,
	PROMPT_REMOTE_STARTED,
	PROMPT_REMOTE_STOPPED,
	PROMPT_NUMBER_REQUEST,
	PROMPT_CALL_REJECTED,
	PROMPT_DIGIT_0,
	PROMPT_DIGIT_1,
	PROMPT_DIGIT_2,
	PROMPT_DIGIT_3,
	PROMPT_DIGIT_4,
	PROMPT_DIGIT_5,
	PROMPT_DIGIT_6,
	PROMPT_DIGIT_7,
	PROMPT_DIGIT_8,
	PROMPT_DIGIT_9,
	PROMPT_NUMBER, /* pseudo prompt: read the item's digits one by one */
	PROMPT_COUNT
};

/* "menu", "digit_7", "number"; NULL if out of range. */
const char *prompt_name(enum prompt_id id);
/* The English text to render; NULL for PROMPT_NUMBER and out of range. */
const char *prompt_text(enum prompt_id id);

#define PROMPT_SEQ_MAX 24
#define PROMPT_DIGITS_SIZE 16

struct prompt_item {
	enum prompt_id id;
	char digits[PROMPT_DIGITS_SIZE]; /* PROMPT_NUMBER only */
};

struct prompt_seq {
	size_t n;
	struct prompt_item item[PROMPT_SEQ_MAX];
};

void prompt_seq_reset(struct prompt_seq *seq);
/* 0, or -ENOSPC when full (the item is dropped). */
int prompt_seq_add(struct prompt_seq *seq, enum prompt_id id);
/* A PROMPT_NUMBER item; digits longer than PROMPT_DIGITS_SIZE - 1 are -EINVAL. */
int prompt_seq_add_number(struct prompt_seq *seq, const char *digits);
/* "welcome menu" / "readback_prefix <0398765432> confirm": for logs and tests. */
size_t prompt_seq_format(const struct prompt_seq *seq, char *buf, size_t len);

#endif
