// Two GNU C library calls that Swift's Glibc module leaves out (they are declared only under
// _GNU_SOURCE, and that module is built without it): what nk needs to start an engine's
// program with its three channels and nothing else. Both are in glibc since 2.34.
#ifndef NK_CSPAWN_SHIM_H
#define NK_CSPAWN_SHIM_H

#include <spawn.h>

/// pipe(2) with flags: O_CLOEXEC makes both ends close on exec from their first moment.
extern int pipe2(int fds[2], int flags);

/// Adds "close every descriptor from `from` on" to a posix_spawn's file actions.
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

#endif
