/* runtime/err.c: filling the runtime's error value. */
#include "runtime/err.h"

#include <stdarg.h>
#include <stdio.h>

int pk_err_set(struct pk_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int pk_err_at(struct pk_err *err, uint64_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->offset = offset;
	return -1;
}
