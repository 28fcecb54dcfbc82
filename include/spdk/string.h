/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * String helpers: error strings, formatting into allocated buffers, checked number parsing,
 * trimming and splitting, and fixed-size padded fields.
 *
 * Everything here is thread safe; functions that modify a string do so only in the buffer the
 * caller passes. Allocated results are released with free() unless stated otherwise.
 */

#ifndef SPDK_STRING_H
#define SPDK_STRING_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef UPDK_ATTR_DEALLOC
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
/* Lets GCC check that what a constructor returns reaches the matching destructor. */
#define UPDK_ATTR_DEALLOC(fn) __attribute__((malloc(fn, 1)))
#else
#define UPDK_ATTR_DEALLOC(fn)
#endif
#endif

/** Turn the expansion of \p x into a string literal. */
#define SPDK_STRINGIFY(x) SPDK_STRINGIFY_RAW(x)
/** Turn \p x, unexpanded, into a string literal. */
#define SPDK_STRINGIFY_RAW(x) #x

/**
 * Format into a newly allocated string.
 *
 * \param format printf-style format.
 * \return the string, to be released with free(), or NULL if out of memory or \p format is
 * invalid.
 */
char *spdk_sprintf_alloc(const char *format, ...) __attribute__((format(printf, 1, 2)))
__attribute__((malloc)) UPDK_ATTR_DEALLOC(free);

/**
 * Like spdk_sprintf_alloc(), with the arguments in a va_list.
 *
 * \param format printf-style format.
 * \param args Arguments for \p format.
 * \return the string, to be released with free(), or NULL on failure.
 */
char *spdk_vsprintf_alloc(const char *format, va_list args) __attribute__((malloc))
UPDK_ATTR_DEALLOC(free);

/**
 * Append formatted text to an allocated string, reallocating it.
 *
 * \param buffer A string from malloc(), spdk_sprintf_alloc() or this function, or NULL (the
 * call is then the same as spdk_sprintf_alloc()).
 * \param format printf-style format.
 * \return the combined string, to be released with free(); \p buffer must no longer be used.
 * On failure, NULL, and \p buffer is left as it was and still owned by the caller.
 */
char *spdk_sprintf_append_realloc(char *buffer, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * Like spdk_sprintf_append_realloc(), with the arguments in a va_list.
 *
 * \param buffer A string from malloc() or NULL.
 * \param format printf-style format.
 * \param args Arguments for \p format.
 * \return the combined string, or NULL on failure (\p buffer is then unchanged).
 */
char *spdk_vsprintf_append_realloc(char *buffer, const char *format, va_list args);

/**
 * Convert a string to lower case in place.
 *
 * \param s The string; NULL is returned unchanged.
 * \return \p s.
 */
char *spdk_strlwr(char *s);

/**
 * Split off the next field of a string, honouring quotes, in the manner of strsep().
 *
 * A field ends at any character of \p delim or at a newline. Within a field, text in double
 * or single quotes may contain delimiters; the quotes are removed. A backslash outside quotes
 * or inside double quotes makes the next character literal and is removed. Delimiters that
 * follow the field are skipped. The field is terminated in place.
 *
 * \param stringp Points to the string to parse; updated to the start of the next field, or
 * set to NULL when nothing is left (including after a newline).
 * \param delim The delimiter characters.
 * \return the field, or NULL if *stringp (or \p stringp) is NULL.
 */
char *spdk_strsepq(char **stringp, const char *delim);

/**
 * Remove leading and trailing white space in place. The remaining text is moved to the start
 * of \p s.
 *
 * \param s The string; NULL is returned unchanged.
 * \return \p s.
 */
char *spdk_str_trim(char *s);

/**
 * Write the message for an error number into a buffer.
 *
 * \param errnum A positive errno value. Unknown values give "Unknown error N".
 * \param buf The buffer; nothing is written when it is NULL.
 * \param buflen Size of \p buf; the message is truncated to fit and always terminated when
 * \p buflen is not 0.
 */
void spdk_strerror_r(int errnum, char *buf, size_t buflen);

/**
 * Get the message for an error number.
 *
 * \param errnum A positive errno value (callers holding a negative return code pass -rc).
 * Unknown values, negative ones included, give "Unknown error N".
 * \return the message, in a 64-byte buffer local to the calling thread that the next call on
 * the same thread overwrites.
 */
const char *spdk_strerror(int errnum);

/**
 * Remove every trailing carriage return and newline in place.
 *
 * \param s The string; NULL removes nothing.
 * \return the number of characters removed.
 */
size_t spdk_str_chomp(char *s);

/**
 * Copy a string into a fixed-size field and fill the rest of the field with a pad byte. The
 * field is not terminated; a source longer than the field is cut.
 *
 * \param dst The field.
 * \param src The string.
 * \param size Size of the field in bytes.
 * \param pad The fill byte.
 */
void spdk_strcpy_pad(void *dst, const char *src, size_t size, int pad);

/**
 * Get the length of the text in a fixed-size field filled with a pad byte, that is, the size
 * of the field less its trailing pad bytes.
 *
 * \param str The field.
 * \param size Size of the field in bytes.
 * \param pad The fill byte.
 * \return the length of the text.
 */
size_t spdk_strlen_pad(const void *str, size_t size, int pad);

/**
 * Split an address with an optional port into host and port, in place: "host", "host:port",
 * "[v6addr]" or "[v6addr]:port".
 *
 * \param ip The address; modified.
 * \param host Receives the host (without brackets).
 * \param port Receives the port, or NULL when there is none.
 * \return 0 on success; -EINVAL if an argument is NULL or a bracket is not closed or is
 * followed by something other than ":port".
 */
int spdk_parse_ip_addr(char *ip, char **host, char **port);

/**
 * Parse a size: a decimal number optionally followed by a binary multiple k, m, g or t (any
 * case, 2^10 to 2^40), which may itself be followed by "B" ("4k", "64M", "1GB"). White space
 * around the value is ignored.
 *
 * \param cap_str The string.
 * \param cap Receives the size in bytes.
 * \param has_prefix Optional; receives whether a multiple was given.
 * \return 0 on success; -EINVAL if an argument is NULL or the string is not a size; -ERANGE if
 * the size does not fit in 64 bits.
 */
int spdk_parse_capacity(const char *cap_str, uint64_t *cap, bool *has_prefix);

/**
 * Check whether a buffer holds only zero bytes.
 *
 * \param data The buffer.
 * \param size Its size; a size of 0 gives true.
 * \return true if every byte is zero.
 */
bool spdk_mem_all_zero(const void *data, size_t size);

/**
 * Parse a non-negative integer. The whole string must be the number (leading white space and
 * a leading '+' are accepted, as by strtol()). errno is preserved.
 *
 * \param nptr The string.
 * \param base As for strtol(): 2 to 36, or 0 to accept 0x and 0 prefixes.
 * \return the number (0 or more) on success; -EINVAL if \p nptr is NULL, empty, not a number
 * or has trailing characters, or \p base is invalid; -ERANGE if the number is negative or too
 * large.
 */
long int spdk_strtol(const char *nptr, int base);

/**
 * Like spdk_strtol(), for long long.
 *
 * \param nptr The string.
 * \param base As for strtoll().
 * \return the number (0 or more), or -EINVAL or -ERANGE as for spdk_strtol().
 */
long long int spdk_strtoll(const char *nptr, int base);

/**
 * Free an array from spdk_strarray_from_string() or spdk_strarray_dup(), and its strings.
 *
 * \param strarray The array; NULL does nothing.
 */
void spdk_strarray_free(char **strarray);

/**
 * Split a string at every character of \p delim into a NULL-terminated array of newly
 * allocated strings. Adjacent delimiters give empty strings; an empty \p str gives one empty
 * string.
 *
 * \param str The string.
 * \param delim The delimiter characters.
 * \return the array, to be released with spdk_strarray_free(), or NULL if an argument is NULL
 * or out of memory.
 */
char **spdk_strarray_from_string(const char *str, const char *delim)
	UPDK_ATTR_DEALLOC(spdk_strarray_free);

/**
 * Copy a NULL-terminated array of strings, and the strings.
 *
 * \param strarray The array.
 * \return the copy, to be released with spdk_strarray_free(), or NULL if \p strarray is NULL
 * or out of memory.
 */
char **spdk_strarray_dup(const char **strarray) UPDK_ATTR_DEALLOC(spdk_strarray_free);

/**
 * Copy a string into a buffer, replacing every occurrence of \p search with \p replace.
 * Occurrences are found left to right without overlap.
 *
 * \param dst The buffer.
 * \param size Size of \p dst, which must hold the result and its terminator.
 * \param src The string.
 * \param search The text to replace; must not be empty.
 * \param replace The replacement; may be empty.
 * \return 0 on success; -EINVAL if an argument is NULL, \p search is empty or the result does
 * not fit (\p dst is then unchanged).
 */
int spdk_strcpy_replace(char *dst, size_t size, const char *src, const char *search,
			const char *replace);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_STRING_H */
