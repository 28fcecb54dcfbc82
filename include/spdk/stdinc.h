/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The system headers every updk header and source file relies on, in one place.
 *
 * Each public header includes this first, so a program that includes any spdk/
 * header gets the C library, POSIX and (in C) C11 atomics, as SPDK programs
 * expect: code written for SPDK often uses atomic_int, uint64_t, struct iovec
 * or strerror without including their headers itself.
 */

#ifndef SPDK_STDINC_H
#define SPDK_STDINC_H

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <dirent.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netdb.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <sys/mman.h>

#ifndef __cplusplus
/* C11 atomics are only part of C; C++ programs use <atomic> themselves. */
#include <stdatomic.h>
#endif

#endif /* SPDK_STDINC_H */
