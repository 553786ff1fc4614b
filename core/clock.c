/* core/clock.c - monotonic clock (CLOCK_MONOTONIC) and wall clock, both overridable by a
 * fake clock for unit tests. The fake clock only moves when a test calls
 * fake_time_passes(); nothing here sleeps or schedules. */
#include <assert.h>
#include <stdbool.h>
#include <time.h>

#include "core/clock.h"

static struct {
	bool enabled;
	uint64_t now_us;
	uint64_t start_us;
	time_t start_wall;
} fake;

uint64_t clock_now_us(void)
{
	struct timespec ts;

	if (fake.enabled)
		return fake.now_us;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		assert(!"CLOCK_MONOTONIC unavailable");
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

time_t clock_wall_s(void)
{
	if (fake.enabled)
		return fake.start_wall + (time_t)((fake.now_us - fake.start_us) / 1000000u);
	return time(NULL);
}

void fake_clock_enable(uint64_t start_us, time_t start_wall)
{
	fake.enabled = true;
	fake.now_us = start_us;
	fake.start_us = start_us;
	fake.start_wall = start_wall;
}

void fake_clock_disable(void)
{
	fake.enabled = false;
}

void fake_time_passes_us(uint64_t us)
{
	assert(fake.enabled);
	fake.now_us += us;
}

void fake_time_passes(uint64_t ms)
{
	fake_time_passes_us(ms * 1000u);
}

uint64_t clock_wall_ms(void)
{
	struct timespec ts;

	if (fake.enabled)
		return (uint64_t)fake.start_wall * 1000u + (fake.now_us - fake.start_us) / 1000u;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
