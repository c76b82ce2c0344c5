#ifndef NK_READLINE_SHIM_H
#define NK_READLINE_SHIM_H
// GNU readline for nk. Readline's mutable globals are reached only through the
// small accessors below: Swift 6 does not allow touching C globals directly.
// Readline keeps the string pointers it is given, while Swift passes strings as
// temporary buffers: the setters of string globals therefore keep their own copy.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline void nk_rl_set_readline_name(const char *name) { rl_readline_name = strdup(name); }
static inline void nk_rl_set_attempted_completion(rl_completion_func_t *fn) { rl_attempted_completion_function = fn; }
static inline void nk_rl_set_attempted_completion_over(int over) { rl_attempted_completion_over = over; }
static inline void nk_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void nk_rl_set_completion_suppress_append(int on) { rl_completion_suppress_append = on; }
static inline void nk_rl_set_completer_word_break_characters(const char *s) { rl_completer_word_break_characters = strdup(s); }
static inline void nk_rl_set_completer_quote_characters(const char *s) { rl_completer_quote_characters = strdup(s); }
static inline void nk_rl_set_filename_quote_characters(const char *s) { rl_filename_quote_characters = strdup(s); }
static inline void nk_rl_set_catch_signals(int on) { rl_catch_signals = on; }
static inline void nk_rl_set_catch_sigwinch(int on) { rl_catch_sigwinch = on; }
static inline const char *nk_rl_line_buffer(void) { return rl_line_buffer; }
static inline int nk_rl_point(void) { return rl_point; }
static inline int nk_rl_completion_quote_character(void) { return rl_completion_quote_character; }
static inline const char *nk_rl_library_version(void) { return rl_library_version; }
static inline int nk_history_length(void) { return history_length; }
static inline int nk_history_base(void) { return history_base; }

#endif
