// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Interface name checks.  The rules are net/core/dev.c:dev_valid_name() in
 * Linux 6.12, plus '%': the kernel takes a name with '%' as a template
 * ("gre%d") and picks a different name, which tunneld would never find.
 */
#include <stddef.h>
#include <string.h>

#include "tunnel_name.h"

/* The kernel's isspace(): its ctype table also counts Latin-1 NBSP (0xa0). */
static bool kernel_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static bool fail(const char **errmsg, const char *why)
{
	if (errmsg)
		*errmsg = why;
	return false;
}

bool tunnel_name_valid(const char *name, const char **errmsg)
{
	size_t len = 0;

	if (!name || !*name)
		return fail(errmsg, "An interface name cannot be empty.");
	/* Stop counting past the limit: a long name need not be read to its end. */
	while (len <= TUNNEL_NAME_MAX && name[len])
		len++;
	if (len > TUNNEL_NAME_MAX)
		return fail(errmsg, "Linux interface names are 1 to 15 characters.");
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return fail(errmsg, "An interface cannot be named '.' or '..'.");

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p == '/')
			return fail(errmsg, "An interface name cannot contain '/'.");
		if (*p == ':')
			return fail(errmsg, "An interface name cannot contain ':'.");
		if (*p == '%')
			return fail(errmsg, "An interface name cannot contain '%'.");
		if (kernel_isspace(*p))
			return fail(errmsg, "An interface name cannot contain white space.");
	}
	return true;
}
