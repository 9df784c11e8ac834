// Jinja2's compile-time symbol analysis (jinja2/idtracking.py), reduced to
// the one thing a dynamically scoped interpreter cannot reproduce by itself:
// which names start out undefined in a frame. Jinja2 gives every frame
// (the template, a loop body, a macro, a call/filter/set block, a with
// block) a local for each name assigned in it; if the frame does not read
// the name before assigning it (and no enclosing frame has the name), that
// local starts as "missing", and frames nested inside see it — so
//   {% for m in messages %}{{ x }}{% endfor %}{% set x = 1 %}
// prints nothing inside the loop even when the context has x.
// Not here: evaluation (the interpreter binds these names at frame entry).
#pragma once

#include "chat/jinja/ast.h"

namespace hako::jinja::detail {

// Fills every frame's *_undefined list of the program.
void analyze_scopes(ast::Program& program);

}  // namespace hako::jinja::detail
