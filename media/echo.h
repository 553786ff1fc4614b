/* media/echo.h - removes the echo of our own guidance from a timeslot's received audio
 * when its path is a delay of whole 20 ms blocks and a flat gain (lab loop-backs, sim
 * spans): finds the delay by normalised correlation with the last blocks sent, then
 * subtracts the scaled copy, tracking the gain. Leaves other paths (a dispersive hybrid)
 * alone: not an NLMS echo canceller. 160-sample linear blocks; no G.711 here. */
#ifndef MEDIA_ECHO_H
#define MEDIA_ECHO_H

#include <stdbool.h>
#include <stdint.h>

#define MEDIA_ECHO_LAGS 16 /* delays searched: 0..15 blocks (0-300 ms) */
#define MEDIA_ECHO_BLOCK 160
#define MEDIA_ECHO_SEARCH_BLOCKS 500 /* 10 s of guidance without a path: search slowly */
#define MEDIA_ECHO_SLOW_EVERY 8 /* slow search: one received block in 8 */

struct media_echo {
	int16_t hist[MEDIA_ECHO_LAGS][MEDIA_ECHO_BLOCK]; /* transmitted blocks, ring */
	float hist_e[MEDIA_ECHO_LAGS]; /* their energies */
	unsigned head; /* slot of the newest block */
	unsigned live; /* blocks of history worth using (0: idle) */
	float c[MEDIA_ECHO_LAGS]; /* smoothed rx . tx(lag) */
	float e[MEDIA_ECHO_LAGS]; /* smoothed tx(lag) energy */
	float r; /* smoothed rx energy */
	int lag; /* locked delay in blocks, -1 while searching */
	float gain;
	unsigned good, bad; /* consecutive blocks for / against the model */
	unsigned searched; /* blocks of guidance searched without a lock */
	bool slow; /* no path found in MEDIA_ECHO_SEARCH_BLOCKS: search less often */
	unsigned tick; /* blocks sent */
	unsigned long locks; /* times a delay was locked (stats, tests) */
};

void media_echo_reset(struct media_echo *ec); /* a new call: forget the path too */
/* The block just sent (linear) and whether it is part of guidance; call once per block
 * sent, in order, while guidance plays and for a while after (until it returns false:
 * the tail has passed and the history was dropped; the locked path is kept).
 * media_echo_wants_tx() says whether the next block is needed at all (not while idle). */
bool media_echo_tx(struct media_echo *ec, const int16_t *tx, bool playing);
static inline bool media_echo_wants_tx(const struct media_echo *ec, bool playing)
{
	return playing || ec->live;
}
/* Whether media_echo_rx() wants the next received block (if not, skip it): locked and
 * the echoed block is not silence, or searching (one block in 8 after 10 s). */
static inline bool media_echo_wants_rx(const struct media_echo *ec)
{
	if (!ec->live)
		return false;
	if (ec->lag < 0)
		return !ec->slow || ec->tick % MEDIA_ECHO_SLOW_EVERY == 0;
	return ec->hist_e[(ec->head + MEDIA_ECHO_LAGS - (unsigned)ec->lag) % MEDIA_ECHO_LAGS] > 0;
}
/* A received block (linear, in place): subtract the modelled echo. true if changed. */
bool media_echo_rx(struct media_echo *ec, int16_t *rx);

#endif
