/* tests/fixture_prompts.h - the guidance the build rendered into MEDIA_PROMPTS_BASE
 * (set per test in media/module.mk), loaded for the media tests' group setups. Header
 * only: no object to link. Not here: what the tests play or detect. */
#ifndef TESTS_FIXTURE_PROMPTS_H
#define TESTS_FIXTURE_PROMPTS_H

#include "media/prompt_set.h"

/* The prompt set of LANG ("en", "ja"); the test group fails when it does not load. */
static inline struct prompt_set *fx_prompts(const char *lang)
{
	char err[512];
	struct prompt_set *ps = prompt_set_load_lang(MEDIA_PROMPTS_BASE, lang, err, sizeof(err));

	if (!ps)
		fail_msg("%s", err);
	return ps;
}

#endif
