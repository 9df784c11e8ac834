// Finding tag markers in streamed text that may end in the middle of a tag:
// scan_markers reports the earliest complete marker, or the shortest suffix
// that could still grow into one (which the caller must hold back until more
// text arrives). Pure functions over string views; no state, no allocation.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace hako::chat {

// Whether more text may follow the scanned text.
enum class StreamEnd : uint8_t { kMore, kFinal };

enum class ScanKind : uint8_t {
  kNone,   // no marker and no marker prefix: all of the text is plain
  kMatch,  // a complete marker at pos (the longest one starting there)
  kHold,   // text[pos:] is a proper prefix of a marker: hold it back
};

struct ScanResult {
  ScanKind kind = ScanKind::kNone;
  size_t pos = 0;    // kMatch / kHold: where the marker (prefix) starts; kNone: text size
  size_t len = 0;    // kMatch: marker length
  int index = -1;    // kMatch: index into the markers span
};

// Scans `text` for `markers` (empty entries are ignored). A complete marker is
// reported only when no longer marker could still match at the same position
// (with StreamEnd::kMore); with kFinal partial prefixes are plain text.
ScanResult scan_markers(std::string_view text, std::span<const std::string_view> markers,
                        StreamEnd end);

}  // namespace hako::chat
