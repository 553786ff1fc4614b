/* tests/fixture_msu.c - the over-long-number IAM of the fuzz test and soak-hostile (see
 * fixture_msu.h). No randomness here: the callers draw. */
#include <string.h>

#include "tests/fixture_msu.h"

size_t fx_overlong_iam(uint8_t *su, size_t cap, struct msu_iam_spec spec, unsigned n,
		       unsigned which)
{
	static const char digits[] = "0123456789012345678901234567890123456789012345678901234"
				     "5678901234567890123456789012345678901234567890123456789";
	char num[sizeof(digits)];

	if (n >= sizeof(digits))
		n = sizeof(digits) - 1;
	memcpy(num, digits, n);
	num[n] = '\0';
	if (which == 0)
		spec.called = num;
	else if (which == 1)
		spec.calling = num;
	else if (which == 2)
		spec.ocn = num;
	else
		spec.rgn = num;
	return msu_enc_iam(su, cap, &spec);
}
