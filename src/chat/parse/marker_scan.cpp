// scan_markers (see marker_scan.h). Markers are few (under a dozen) and short,
// and the text scanned is only what arrived since the last scan plus a held
// prefix, so a direct position-by-position check is enough.
#include "chat/parse/marker_scan.h"

namespace hako::chat {

ScanResult scan_markers(std::string_view text, std::span<const std::string_view> markers,
                        StreamEnd end) {
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const std::string_view rest = text.substr(pos);
    int best = -1;
    size_t best_len = 0;
    bool longer_possible = false;
    for (size_t i = 0; i < markers.size(); ++i) {
      const std::string_view m = markers[i];
      if (m.empty() || m.front() != rest.front()) continue;
      if (rest.starts_with(m)) {
        if (m.size() > best_len) {
          best = static_cast<int>(i);
          best_len = m.size();
        }
      } else if (end == StreamEnd::kMore && rest.size() < m.size() && m.starts_with(rest)) {
        longer_possible = true;
      }
    }
    if (longer_possible) return {ScanKind::kHold, pos, 0, -1};
    if (best >= 0) return {ScanKind::kMatch, pos, best_len, best};
  }
  return {ScanKind::kNone, text.size(), 0, -1};
}

}  // namespace hako::chat
