// Regex: a compiled PCRE2 pattern (UTF + Unicode properties, JIT when the
// platform has it) used by the pre-tokenizer to find split points. Patterns
// are Hugging Face / Oniguruma-style; `\s` and `\S` are rewritten to the
// Unicode White_Space set that Oniguruma and Rust use (PCRE2's own `\s`
// differs on U+180E and U+0085). Matching never throws: the pattern is
// compiled and checked when the tokenizer is loaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hako::tokenizer {

// A byte range [begin, end) within the searched text.
struct Range {
  uint32_t begin = 0;
  uint32_t end = 0;
};

class Regex {
 public:
  // Compiles `pattern`. Throws Error(kFormat) naming the pattern and PCRE2's
  // message and offset if it does not compile.
  static Regex compile_or_throw(std::string_view pattern);

  Regex();
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  // Appends every non-overlapping, non-empty match in `text` (valid UTF-8),
  // leftmost first, as ranges relative to text.data(). Look-arounds see only
  // `text`. Thread-safe (match state is per thread).
  void find_all(std::string_view text, std::vector<Range>& out) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string pattern_;
};

// The pattern with `\s` / `\S` replaced by explicit White_Space classes.
std::string rewrite_whitespace_classes(std::string_view pattern);

}  // namespace hako::tokenizer
