# Compile options for project code only (third-party headers are SYSTEM).
add_library(wasmops_options INTERFACE)
target_compile_options(wasmops_options INTERFACE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor)
target_include_directories(wasmops_options INTERFACE
  ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)

if(WASMOPS_SANITIZE OR WASMOPS_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(WASMOPS_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# wasmops_layer(NAME SOURCES... DEPS ...): one static library per layer.
function(wasmops_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS" ${ARGN})
  add_library(wasmops_${name} STATIC ${L_SOURCES})
  target_link_libraries(wasmops_${name} PUBLIC wasmops_options ${L_DEPS})
endfunction()
