/*
 * error.h - the error codes every module of the library returns.
 *
 * Functions return int: SG_OK (0) on success, a negative code otherwise.
 * Details always go to a sg_diags; the code only says what kind of failure
 * it was, which is what the command line turns into an exit code.
 */
#ifndef SVCGEN_ERROR_H
#define SVCGEN_ERROR_H

enum {
	SG_OK = 0,
	SG_EFINDINGS = -1,  /* diagnostics with severity error were reported */
	SG_EIO = -2,        /* a file could not be read or written */
	SG_EUSAGE = -3,     /* the caller asked for something impossible */
};

#endif
