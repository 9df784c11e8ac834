// MappedFile: a read-only memory mapping of a whole file (RAII, movable, not
// copyable). The model's weights stay in this mapping; views into it own nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hako {

class MappedFile {
 public:
  MappedFile() = default;
  // Maps `path` read-only. Throws Error(kIo) naming the path and errno text.
  static MappedFile open_or_throw(const std::string& path);
  ~MappedFile();
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Hints the kernel to read ahead [offset, offset+len) (no-op if unsupported).
  void prefetch(size_t offset, size_t len) const;
  // Drops the pages lying wholly inside [offset, offset+len) from this
  // process's resident set (they stay in the page cache, and read back from
  // the file if touched again). For ranges whose bytes were copied elsewhere.
  void release(size_t offset, size_t len) const;

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
};

}  // namespace hako
