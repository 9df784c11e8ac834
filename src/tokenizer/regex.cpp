// PCRE2-backed Regex (see regex.h). One compiled code per pattern, shared by
// all threads; match data and the JIT stack are per thread.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "tokenizer/regex.h"

#include <pcre2.h>

#include <unordered_map>

#include "base/error.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

// Unicode White_Space, as a class body (without brackets).
constexpr std::string_view kWhiteSpaceBody =
    "\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
    "\\x{202F}\\x{205F}\\x{3000}";

struct ThreadState {
  pcre2_match_data* md = nullptr;
  pcre2_jit_stack* stack = nullptr;
  pcre2_match_context* mctx = nullptr;
  ~ThreadState() {
    if (md) pcre2_match_data_free(md);
    if (mctx) pcre2_match_context_free(mctx);
    if (stack) pcre2_jit_stack_free(stack);
  }
};

ThreadState& thread_state() {
  thread_local ThreadState st;
  if (!st.md) {
    st.md = pcre2_match_data_create(16, nullptr);
    st.mctx = pcre2_match_context_create(nullptr);
    st.stack = pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, nullptr);
    if (st.stack) pcre2_jit_stack_assign(st.mctx, nullptr, st.stack);
  }
  return st;
}

}  // namespace

std::string rewrite_whitespace_classes(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 64);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[i + 1];
      if (n == 's') {
        if (in_class) {
          out += kWhiteSpaceBody;
        } else {
          out += '[';
          out += kWhiteSpaceBody;
          out += ']';
        }
        ++i;
        continue;
      }
      if (n == 'S' && !in_class) {
        out += "[^";
        out += kWhiteSpaceBody;
        out += ']';
        ++i;
        continue;
      }
      out += c;
      out += n;
      ++i;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      // A ']' (or '^]') right after '[' is a literal.
      if (i + 1 < p.size() && p[i + 1] == '^') {
        out += '^';
        ++i;
      }
      if (i + 1 < p.size() && p[i + 1] == ']') {
        out += ']';
        ++i;
      }
      continue;
    }
    if (in_class && c == ']') in_class = false;
    out += c;
  }
  return out;
}

struct Regex::Impl {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Impl() {
    if (code) pcre2_code_free(code);
  }
};

Regex::Regex() = default;
Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

Regex Regex::compile_or_throw(std::string_view pattern) {
  Regex r;
  r.pattern_ = std::string(pattern);
  r.impl_ = std::make_unique<Impl>();
  const std::string rewritten = rewrite_whitespace_classes(pattern);
  int err = 0;
  PCRE2_SIZE err_off = 0;
  r.impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(rewritten.data()), rewritten.size(),
                                PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &err, &err_off, nullptr);
  if (!r.impl_->code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof(msg));
    throw Error(ErrorKind::kFormat, "pre-tokenizer regex '" + std::string(pattern) +
                                        "' does not compile: " + reinterpret_cast<char*>(msg) +
                                        " at offset " + std::to_string(err_off));
  }
  r.impl_->jit = pcre2_jit_compile(r.impl_->code, PCRE2_JIT_COMPLETE) == 0;
  return r;
}

void Regex::find_all(std::string_view text, std::vector<Range>& out) const {
  ThreadState& st = thread_state();
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    int rc = impl_->jit ? pcre2_jit_match(impl_->code, subject, n, pos, 0, st.md, st.mctx)
                        : pcre2_match(impl_->code, subject, n, pos, PCRE2_NO_UTF_CHECK, st.md, st.mctx);
    if (rc < 0) break;  // no match (or a resource limit: the rest stays one piece)
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.md);
    size_t b = ov[0], e = ov[1];
    if (e > b) {
      out.push_back({uint32_t(b), uint32_t(e)});
      pos = e;
    } else {
      // Empty match: step over one character.
      pos = b + utf8_seq_len(uint8_t(text[b]));
    }
  }
}

}  // namespace hako::tokenizer
