// Python's two string formatting mini-languages as templates reach them:
// printf-style `"%s: %d" % args` (and the |format filter), and
// `"{} {name:>8}".format(...)` (the str.format method). Width and padding
// count code points, as Python does. Errors are TypeError/ValueError with
// Python's messages. Not here: f-strings or format_map's __missing__.
#pragma once

#include <string>

#include "chat/jinja/value.h"

namespace hako::jinja {

// Python "fmt % args": args is a tuple for several values, a dict for
// %(name)s fields, anything else for a single value.
std::string percent_format(const std::string& fmt, const Value& args);

// Python fmt.format(*args, **kwargs).
std::string brace_format(const std::string& fmt, const CallArgs& args);

}  // namespace hako::jinja
