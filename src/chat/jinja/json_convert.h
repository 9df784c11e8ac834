// JSON in and out of the template engine: context values arrive as
// nlohmann::ordered_json (objects keep their key order, as Python's
// json.loads does) and `|tojson` serialises values exactly like
// transformers' tojson filter, i.e. Python's json.dumps(x,
// ensure_ascii=False, indent=None, separators=None, sort_keys=False):
// ", " and ": " separators, no HTML escaping, non-ASCII kept, floats in
// Python's repr, tuples as arrays, TypeError for undefined, iterators and
// other non-JSON values.
// Not here: parsing JSON text (nlohmann does that).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "chat/jinja/value.h"

namespace hako::jinja {

// Integers beyond int64 become floats (Python keeps them exact).
Value from_json(const nlohmann::ordered_json& j);

struct JsonDumpOptions {
  bool ensure_ascii = false;
  std::optional<std::string> indent;       // nullopt = single line
  std::string item_separator = ", ";       // "," when indent is set
  std::string key_separator = ": ";
  bool sort_keys = false;
};

// Python json.dumps(v, ...). Throws TypeError for values JSON cannot hold.
std::string dump_json(const Value& v, const JsonDumpOptions& options);

}  // namespace hako::jinja
