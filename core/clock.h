/* core/clock.h - the monotonic clock every module reads, overridable for tests.
 * clock_now_us() reads CLOCK_MONOTONIC unless a fake clock is enabled; tests move the
 * fake clock with fake_time_passes(). Not wall-clock time (see clock_wall_s()). */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

uint64_t clock_now_us(void);
static inline uint64_t clock_now_ms(void)
{
	return clock_now_us() / 1000;
}

/* Wall-clock seconds since the epoch (billing records, audit log); fakeable too. */
time_t clock_wall_s(void);
/* Wall-clock milliseconds since the epoch (log timestamps); fakeable too. */
uint64_t clock_wall_ms(void);

/* Fake clock for unit tests: starts at start_us (monotonic) and start_wall (epoch s). */
void fake_clock_enable(uint64_t start_us, time_t start_wall);
void fake_clock_disable(void);
void fake_time_passes(uint64_t ms);
void fake_time_passes_us(uint64_t us);

#endif
