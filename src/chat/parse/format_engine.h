// FormatEngine: the internal interface between OutputParser and the two state
// machines that know a syntax — TaggedEngine (marker-delimited reasoning and
// tool calls: every family but gpt-oss) and HarmonyEngine (gpt-oss channels).
// Engines turn text into Emitter calls; they never see events or pieces.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "chat/parse/emitter.h"
#include "chat/parse/marker_scan.h"
#include "chat/parse/output_parser.h"

namespace hako::chat {

class FormatEngine {
 public:
  virtual ~FormatEngine() = default;
  // Consumes `text` (appended to what was held back).
  virtual void feed(std::string_view text, Emitter& em) = 0;
  // Flushes everything held; the emitter's end() is called by the caller.
  virtual void finish(Emitter& em) = 0;
  virtual Phase phase() const = 0;
};

std::unique_ptr<FormatEngine> make_tagged_engine(const FamilySpec& spec,
                                                 const ParseOptions& options);
std::unique_ptr<FormatEngine> make_harmony_engine(const ParseOptions& options);

// The scanning loop both engines share: repeatedly scans `pending` (from
// `offset`) with the markers the caller's current state wants, hands plain
// text and matched markers to the caller, and erases what was consumed,
// leaving only a held marker prefix. `Step` provides:
//   std::span<const std::string_view> markers();
//   bool before_scan(std::string_view rest, size_t* consumed);  // may take text itself
//   size_t text(std::string_view plain);  // bytes taken; fewer when the state
//                                          // changed and the rest must be rescanned
//   void marker(int index, std::string_view marker_text);
// The result never depends on how the text was cut into pieces.
template <class Step>
void run_scan(std::string& pending, StreamEnd end, Step& step) {
  size_t off = 0;
  while (off < pending.size()) {
    const std::string_view rest = std::string_view(pending).substr(off);
    size_t consumed = 0;
    if (step.before_scan(rest, &consumed)) {
      off += consumed;
      continue;
    }
    const auto markers = step.markers();
    const ScanResult r = scan_markers(rest, markers, end);
    if (r.pos > 0) {
      const size_t taken = step.text(rest.substr(0, r.pos));
      if (taken < r.pos) {
        off += taken;
        continue;
      }
    }
    if (r.kind != ScanKind::kMatch) {
      off += r.pos;
      break;
    }
    off += r.pos + r.len;
    step.marker(r.index, markers[size_t(r.index)]);
  }
  pending.erase(0, off);
}

}  // namespace hako::chat
