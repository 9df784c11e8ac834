# Compiler warnings, sanitizers and per-ISA flags for kernel translation units.
# There is no -march=native: one binary serves every x86-64 / ARM64 machine and
# kernels are chosen at run time (src/kernels/dispatch.cpp).

add_library(hako_flags INTERFACE)
target_compile_options(hako_flags INTERFACE
  -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
if(HAKO_WERROR)
  target_compile_options(hako_flags INTERFACE -Werror)
endif()

if(HAKO_SANITIZE STREQUAL "address")
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
elseif(HAKO_SANITIZE STREQUAL "thread")
  set(_san -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT HAKO_SANITIZE STREQUAL "")
  message(FATAL_ERROR "HAKO_SANITIZE must be '', 'address' or 'thread'")
endif()
if(_san)
  add_compile_options(${_san})
  add_link_options(${_san})
endif()

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
  set(HAKO_ARCH_X86 ON)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64|ARM64")
  set(HAKO_ARCH_ARM ON)
endif()

# Flags per ISA level; a kernel file `foo_<isa>.cpp` is compiled with these.
set(HAKO_FLAGS_avx2   -mavx2 -mfma -mf16c -mbmi2)
set(HAKO_FLAGS_avx512 -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vnni -mavx512bf16 -mavx2 -mfma -mf16c -mbmi2)
set(HAKO_FLAGS_neon   "")
set(HAKO_FLAGS_dotprod -march=armv8.2-a+dotprod+fp16)

# hako_isa_sources(<target> <isa> <files...>): add files compiled with one ISA's flags.
function(hako_isa_sources target isa)
  target_sources(${target} PRIVATE ${ARGN})
  if(HAKO_FLAGS_${isa})
    set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS "${HAKO_FLAGS_${isa}}")
  endif()
endfunction()

# hako_add_library(<name> SOURCES ... DEPS ...): a layer library.
function(hako_add_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${A_DEPS} PRIVATE hako_flags)
endfunction()
