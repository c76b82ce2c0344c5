#ifndef NK_READLINE_SHIM_H
#define NK_READLINE_SHIM_H
// GNU readline for nk. Readline's mutable globals are reached only through the
// small setters below: Swift 6 does not allow touching C globals directly.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline void nk_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void nk_rl_set_attempted_completion(rl_completion_func_t *fn) { rl_attempted_completion_function = fn; }
static inline void nk_rl_set_attempted_completion_over(int over) { rl_attempted_completion_over = over; }
static inline void nk_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void nk_rl_set_catch_signals(int on) { rl_catch_signals = on; }
static inline const char *nk_rl_line_buffer(void) { return rl_line_buffer; }
static inline int nk_rl_point(void) { return rl_point; }
static inline const char *nk_rl_library_version(void) { return rl_library_version; }

#endif
