// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Linux interface names, checked the way the kernel's dev_valid_name() does:
 * a second line of defence behind the YANG pattern.  Standard C only.
 */
#ifndef _TUNNELD_TUNNEL_NAME_H
#define _TUNNELD_TUNNEL_NAME_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TUNNEL_NAME_MAX 15 /* IFNAMSIZ - 1 */

/*
 * Whether @name can name a Linux interface that tunneld creates.  When it
 * cannot and @errmsg is not NULL, *errmsg is set to a static sentence that
 * says why.
 */
bool tunnel_name_valid(const char *name, const char **errmsg);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_NAME_H */
