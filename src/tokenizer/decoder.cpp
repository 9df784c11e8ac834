// Clean-up of decoded text (see decoder.h).
#include "tokenizer/decoder.h"

#include <array>
#include <utility>

namespace hako::tokenizer {

std::string cleanup_tokenization_spaces(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kRules = {{
      {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"},
      {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
  }};
  std::string cur(text);
  for (const auto& [from, to] : kRules) {
    std::string next;
    next.reserve(cur.size());
    size_t pos = 0;
    for (size_t hit = cur.find(from); hit != std::string::npos; hit = cur.find(from, pos)) {
      next.append(cur, pos, hit - pos);
      next.append(to);
      pos = hit + from.size();
    }
    next.append(cur, pos, std::string::npos);
    cur.swap(next);
  }
  return cur;
}

}  // namespace hako::tokenizer
