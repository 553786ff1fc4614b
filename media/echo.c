/* media/echo.c - bulk-delay, flat-gain echo removal for the guidance (see echo.h).
 * Search: for every candidate delay, exponentially smoothed cross-correlation with the
 * received audio; lock when one delay explains most of the received energy for 200 ms.
 * Locked: one correlation kept up to date (gain tracking), the scaled copy subtracted;
 * unlock when the model stops explaining the received audio for a second. */
#include <string.h>

#include "media/echo.h"

#define SMOOTH 0.9f /* per block: ~200 ms memory */
#define SMOOTH_SLOW 0.6f /* per searched block in the slow search (one in 8) */
#define LOCK_SLOW 5 /* blocks for a lock in the slow search */
#define LOCK_RHO2 0.8f /* share of rx energy explained to lock */
#define LOCK_BLOCKS 10
#define UNLOCK_RHO2 0.3f
#define UNLOCK_BLOCKS 50
#define MIN_E (160.0f * 64.0f * 64.0f) /* tx below about -54 dBFS: no evidence */

void media_echo_reset(struct media_echo *ec)
{
	memset(ec, 0, sizeof(*ec));
	ec->lag = -1;
}

static float dot(const float *a, const float *b)
{
	float s = 0;

	for (int i = 0; i < MEDIA_ECHO_BLOCK; i++)
		s += a[i] * b[i];
	return s;
}

static float dot16(const float *a, const int16_t *b)
{
	float s = 0;

	for (int i = 0; i < MEDIA_ECHO_BLOCK; i++)
		s += a[i] * (float)b[i];
	return s;
}

bool media_echo_tx(struct media_echo *ec, const int16_t *tx, bool playing)
{
	int16_t *h;
	float e = 0;

	if (!playing && !ec->live)
		return false;
	if (playing) {
		ec->live = MEDIA_ECHO_LAGS + 1;
	} else if (--ec->live == 0) {
		/* tail over: drop the history, keep the path */
		memset(ec->hist, 0, sizeof(ec->hist));
		memset(ec->hist_e, 0, sizeof(ec->hist_e));
		return false;
	}
	ec->tick++;
	ec->head = (ec->head + 1) % MEDIA_ECHO_LAGS;
	h = ec->hist[ec->head];
	memcpy(h, tx, sizeof(ec->hist[0]));
	for (int i = 0; i < MEDIA_ECHO_BLOCK; i++)
		e += (float)h[i] * (float)h[i];
	ec->hist_e[ec->head] = e;
	return true;
}

static unsigned slot(const struct media_echo *ec, unsigned lag)
{
	return (ec->head + MEDIA_ECHO_LAGS - lag) % MEDIA_ECHO_LAGS;
}

/* Searching: update every delay's correlation, lock on a clear winner. */
static void search(struct media_echo *ec, const float *x)
{
	float a = ec->slow ? SMOOTH_SLOW : SMOOTH;
	float best = 0;
	int best_k = -1;
	bool evidence = false;

	for (unsigned k = 0; k < MEDIA_ECHO_LAGS; k++) {
		unsigned s = slot(ec, k);
		float rho2;

		ec->c[k] = a * ec->c[k] + dot16(x, ec->hist[s]);
		ec->e[k] = a * ec->e[k] + ec->hist_e[s];
		if (ec->e[k] < MIN_E)
			continue;
		evidence = true;
		if (ec->c[k] <= 0)
			continue;
		rho2 = ec->c[k] * ec->c[k] / (ec->e[k] * ec->r);
		if (rho2 > best) {
			best = rho2;
			best_k = (int)k;
		}
	}
	if (!evidence)
		return; /* no guidance energy: no evidence either way */
	if (++ec->searched >= MEDIA_ECHO_SEARCH_BLOCKS)
		ec->slow = true; /* nothing found yet: keep looking at 1/8 of the cost */
	if (best_k < 0) {
		ec->good = 0;
		return;
	}
	if (best < LOCK_RHO2) {
		ec->good = 0;
		return;
	}
	if (++ec->good < (ec->slow ? LOCK_SLOW : LOCK_BLOCKS))
		return;
	ec->lag = best_k;
	ec->gain = ec->c[best_k] / ec->e[best_k];
	ec->good = ec->bad = 0;
	ec->searched = 0;
	ec->slow = false;
	ec->locks++;
}

/* Locked: track the gain at the delay; give up when it no longer explains the audio. */
static void track(struct media_echo *ec, const float *x)
{
	unsigned s = slot(ec, (unsigned)ec->lag);
	float rho2;

	ec->c[ec->lag] = SMOOTH * ec->c[ec->lag] + dot16(x, ec->hist[s]);
	ec->e[ec->lag] = SMOOTH * ec->e[ec->lag] + ec->hist_e[s];
	if (ec->e[ec->lag] < MIN_E)
		return;
	ec->gain = ec->c[ec->lag] > 0 ? ec->c[ec->lag] / ec->e[ec->lag] : 0;
	rho2 = ec->c[ec->lag] > 0 ? ec->c[ec->lag] * ec->c[ec->lag] / (ec->e[ec->lag] * ec->r) : 0;
	if (rho2 >= UNLOCK_RHO2) {
		ec->bad = 0;
		return;
	}
	if (++ec->bad >= UNLOCK_BLOCKS) {
		ec->lag = -1;
		ec->gain = 0;
		ec->bad = 0;
		memset(ec->c, 0, sizeof(ec->c));
		memset(ec->e, 0, sizeof(ec->e));
	}
}

bool media_echo_rx(struct media_echo *ec, int16_t *rx)
{
	float x[MEDIA_ECHO_BLOCK];
	const int16_t *h;

	if (!media_echo_wants_rx(ec))
		return false;
	for (int i = 0; i < MEDIA_ECHO_BLOCK; i++)
		x[i] = rx[i];
	ec->r = (ec->lag < 0 && ec->slow ? SMOOTH_SLOW : SMOOTH) * ec->r + dot(x, x) + 1.0f;
	if (ec->lag < 0) {
		search(ec, x);
		if (ec->lag < 0)
			return false;
	} else {
		track(ec, x);
		if (ec->lag < 0)
			return false;
	}
	h = ec->hist[slot(ec, (unsigned)ec->lag)];
	for (int i = 0; i < MEDIA_ECHO_BLOCK; i++) {
		float v = x[i] - ec->gain * (float)h[i];

		v = v > 32767.0f ? 32767.0f : v;
		v = v < -32768.0f ? -32768.0f : v;
		rx[i] = (int16_t)(int32_t)v; /* branch-free: vectorises */
	}
	return true;
}
