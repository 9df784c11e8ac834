// OutputParser (see output_parser.h): picks the engine for the family and
// routes pieces through it into the Emitter.
#include "chat/parse/output_parser.h"

#include "base/error.h"
#include "chat/parse/format_engine.h"

namespace hako::chat {

OutputParser::OutputParser(Family family, ParseOptions options)
    : family_(family),
      emitter_(std::make_unique<Emitter>(options.whitespace, options.id_prefix)) {
  const FamilySpec& spec = family_spec(family);
  engine_ = spec.tool_format == ToolFormat::kHarmony ? make_harmony_engine(options)
                                                     : make_tagged_engine(spec, options);
}

OutputParser::OutputParser(OutputParser&&) noexcept = default;
OutputParser& OutputParser::operator=(OutputParser&&) noexcept = default;
OutputParser::~OutputParser() = default;

void OutputParser::push(std::string_view piece, std::vector<ChatEvent>& out) {
  HAKO_ASSERT_MSG(!finished_, "OutputParser::push after finish");
  emitter_->begin(&out);
  engine_->feed(piece, *emitter_);
  emitter_->begin(nullptr);
}

void OutputParser::finish(std::vector<ChatEvent>& out) {
  if (finished_) return;
  finished_ = true;
  emitter_->begin(&out);
  engine_->finish(*emitter_);
  emitter_->end();
  emitter_->begin(nullptr);
}

const ParsedOutput& OutputParser::result() const { return emitter_->result(); }

Phase OutputParser::phase() const { return engine_->phase(); }

ParsedOutput parse_output(Family family, std::string_view text, const ParseOptions& options) {
  OutputParser parser(family, options);
  std::vector<ChatEvent> events;
  parser.push(text, events);
  parser.finish(events);
  return parser.result();
}

}  // namespace hako::chat
