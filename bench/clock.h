/*
 * bench/clock.h: the one clock the benchmark programs time loops with.
 *
 * The process's CPU time, not the wall clock: the benchmark machine is
 * shared, and time spent descheduled while other work runs is not the
 * measured code's cost. Kernel time reading the trace counts (it is CPU
 * time of this process).
 */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
