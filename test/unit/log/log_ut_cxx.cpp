/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The C++ half of log_ut: uses the logging macros from a C++ translation unit, with both
 * spellings of the component, so that the test proves they compile and behave as in C.
 */

#include "spdk/stdinc.h"
#include "spdk/log.h"

SPDK_LOG_REGISTER_COMPONENT(ut_cxx_comp)

extern "C" int log_ut_cxx_infolog(void);
extern "C" int log_ut_cxx_ratelimit(int calls);

int
log_ut_cxx_infolog(void)
{
	SPDK_INFOLOG(ut_cxx_comp, "bare from C++ %d\n", 1);
	SPDK_INFOLOG("ut_cxx_literal", "quoted from C++ %s\n", "x");
	SPDK_DEBUGLOG(ut_cxx_debug_only, "debug from C++\n");
	return 0;
}

int
log_ut_cxx_ratelimit(int calls)
{
	for (int i = 0; i < calls; i++) {
		SPDK_ERRLOG_RATELIMIT("rate limited from C++ %d\n", i);
	}
	return 0;
}
