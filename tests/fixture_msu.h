/* tests/fixture_msu.h - hostile ISUP for the fuzz test and the soak's hostile peer: an IAM
 * with one number longer than Q.763 allows. The caller draws the length and the place
 * from its own random sequence (each keeps its seed's figures). Not here: sending it. */
#ifndef TESTS_FIXTURE_MSU_H
#define TESTS_FIXTURE_MSU_H

#include <stddef.h>
#include <stdint.h>

#include "isup/msu_enc.h"

/* The IAM of spec with an n-digit number (n <= 112) as its called number (which 0),
 * calling number (1), OCN (2) or RGN (3). Its length, 0 when cap is too small. */
size_t fx_overlong_iam(uint8_t *su, size_t cap, struct msu_iam_spec spec, unsigned n,
		       unsigned which);

#endif
