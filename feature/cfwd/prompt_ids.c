/* feature/cfwd/prompt_ids.c - names and English texts of the voice-guidance catalogue,
 * and prompt sequences. The texts are what scripts render into audio; the names are
 * the rendered files' names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "feature/cfwd/prompt_ids.h"

struct prompt_def {
	const char *name;
	const char *text;
};

/* clang-format off */
static const struct prompt_def prompts[PROMPT_COUNT] = {
	[PROMPT_WELCOME] = { "welcome",
		"This is the call forwarding service." },
	[PROMPT_MENU] = { "menu",
		"To stop forwarding press 0. To start, press 1. To register the forward-to "
		"number, press 2. To set the ring time, press 3. For the number list and remote"
		" control, press 4. To check your settings, press 8." },
	[PROMPT_CONDITION_MENU] = { "condition_menu",
		"Press 1 to forward all calls, 2 when you do not answer, 3 when you are busy, 4"
		" when you do not answer or are busy." },
	[PROMPT_ENTER_NUMBER] = { "enter_number",
		"Enter the forward-to number from the area code, then press the hash key." },
	[PROMPT_ENTER_RING_TIME] = { "enter_ring_time",
		"Enter the ring time in seconds, two digits from 05 to 60, then press the hash "
		"key." },
	[PROMPT_LIST_MENU] = { "list_menu",
		"To register a list number, press 0. To select a list number, press 1. For "
		"remote control, press 3." },
	[PROMPT_ENTER_LIST_NO_REGISTER] = { "enter_list_no_register",
		"Enter the list number, 1 to 4." },
	[PROMPT_ENTER_LIST_NO_SELECT] = { "enter_list_no_select",
		"Enter the list number, 0 to 4." },
	[PROMPT_REMOTE_MENU] = { "remote_menu",
		"To enable remote control and set your PIN, press 1. To disable remote control,"
		" press 0." },
	[PROMPT_ENTER_NEW_PIN] = { "enter_new_pin",
		"Enter a four digit PIN." },
	[PROMPT_CHECK_MENU] = { "check_menu",
		"To hear your number list, press 0. To hear the remote control setting, press "
		"2." },
	[PROMPT_READBACK_PREFIX] = { "readback_prefix",
		"The number you entered is" },
	[PROMPT_CONFIRM] = { "confirm",
		"If this is correct, press 1. To enter it again, press 2." },
	[PROMPT_DONE] = { "done",
		"Your setting is complete." },
	[PROMPT_DONE_MENU_OR_HANGUP] = { "done_menu_or_hangup",
		"To return to the menu, press 0. Otherwise, please hang up." },
	[PROMPT_CANCELLED] = { "cancelled",
		"The operation was cancelled. Nothing was changed." },
	[PROMPT_ERR_INVALID_KEY] = { "err_invalid_key",
		"That key is not valid." },
	[PROMPT_ERR_NO_NUMBER] = { "err_no_number",
		"No forward-to number is registered. Nothing was changed." },
	[PROMPT_ERR_REFUSED_NUMBER] = { "err_refused_number",
		"That number cannot be used as a forward-to number. Nothing was changed." },
	[PROMPT_ERR_RING_TIME] = { "err_ring_time",
		"The ring time must be from 5 to 60 seconds. Nothing was changed." },
	[PROMPT_ERR_ENTRY_EMPTY] = { "err_entry_empty",
		"That list number has no number registered. Nothing was changed." },
	[PROMPT_NOT_AVAILABLE] = { "not_available",
		"This service is not available on this line." },
	[PROMPT_TRY_LATER] = { "try_later",
		"The service cannot be used right now. Nothing was changed. Please try again "
		"later." },
	[PROMPT_GOODBYE] = { "goodbye",
		"Thank you. Goodbye." },
	[PROMPT_LIST_ENTRY] = { "list_entry",
		"List number" },
	[PROMPT_NOT_REGISTERED] = { "not_registered",
		"not registered" },
	[PROMPT_SELECTED] = { "selected",
		"is selected" },
	[PROMPT_NONE_SELECTED] = { "none_selected",
		"No list number is selected." },
	[PROMPT_REMOTE_ENABLED] = { "remote_enabled",
		"Remote control is enabled." },
	[PROMPT_REMOTE_DISABLED] = { "remote_disabled",
		"Remote control is disabled." },
	[PROMPT_REMOTE_WELCOME] = { "remote_welcome",
		"This is the call forwarding remote control." },
	[PROMPT_REMOTE_ENTER_NUMBER] = { "remote_enter_number",
		"Enter your telephone number from the area code, then press the hash key." },
	[PROMPT_REMOTE_ENTER_PIN] = { "remote_enter_pin",
		"Enter your four digit PIN." },
	[PROMPT_REMOTE_COMMAND] = { "remote_command",
		"To start forwarding, press 1. To stop, press 0. To select a list number and "
		"start, press 2 and the list number." },
	[PROMPT_REMOTE_REJECTED] = { "remote_rejected",
		"This service cannot be used with the number and PIN entered." },
	[PROMPT_REMOTE_STARTED] = { "remote_started",
		"Forwarding has started." },
	[PROMPT_REMOTE_STOPPED] = { "remote_stopped",
		"Forwarding has stopped." },
	[PROMPT_NUMBER_REQUEST] = { "number_request",
		"Please call again with your number shown." },
	[PROMPT_CALL_REJECTED] = { "call_rejected",
		"Your call cannot be connected at the request of the person you are calling." },
	[PROMPT_DIGIT_0] = { "digit_0",
		"zero" },
	[PROMPT_DIGIT_1] = { "digit_1",
		"one" },
	[PROMPT_DIGIT_2] = { "digit_2",
		"two" },
	[PROMPT_DIGIT_3] = { "digit_3",
		"three" },
	[PROMPT_DIGIT_4] = { "digit_4",
		"four" },
	[PROMPT_DIGIT_5] = { "digit_5",
		"five" },
	[PROMPT_DIGIT_6] = { "digit_6",
		"six" },
	[PROMPT_DIGIT_7] = { "digit_7",
		"seven" },
	[PROMPT_DIGIT_8] = { "digit_8",
		"eight" },
	[PROMPT_DIGIT_9] = { "digit_9",
		"nine" },
	[PROMPT_NUMBER] = { "number", NULL },
};
/* clang-format on */

const char *prompt_name(enum prompt_id id)
{
	if ((unsigned)id >= PROMPT_COUNT)
		return NULL;
	return prompts[id].name;
}

const char *prompt_text(enum prompt_id id)
{
	if ((unsigned)id >= PROMPT_COUNT)
		return NULL;
	return prompts[id].text;
}

void prompt_seq_reset(struct prompt_seq *seq)
{
	seq->n = 0;
}

int prompt_seq_add(struct prompt_seq *seq, enum prompt_id id)
{
	if (seq->n >= PROMPT_SEQ_MAX)
		return -ENOSPC;
	seq->item[seq->n].id = id;
	seq->item[seq->n].digits[0] = 0;
	seq->n++;
	return 0;
}

int prompt_seq_add_number(struct prompt_seq *seq, const char *digits)
{
	if (strlen(digits) >= PROMPT_DIGITS_SIZE)
		return -EINVAL;
	if (seq->n >= PROMPT_SEQ_MAX)
		return -ENOSPC;
	seq->item[seq->n].id = PROMPT_NUMBER;
	str_copy(seq->item[seq->n].digits, digits, PROMPT_DIGITS_SIZE);
	seq->n++;
	return 0;
}

size_t prompt_seq_format(const struct prompt_seq *seq, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = 0;
	for (size_t i = 0; i < seq->n; i++) {
		const struct prompt_item *it = &seq->item[i];
		int k;

		if (it->id == PROMPT_NUMBER)
			k = snprintf(buf + used, len - used, "%s<%s>", i ? " " : "", it->digits);
		else
			k = snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				     prompt_name(it->id) ? prompt_name(it->id) : "?");
		if (k < 0 || (size_t)k >= len - used)
			return len ? len - 1 : 0;
		used += (size_t)k;
	}
	return used;
}
